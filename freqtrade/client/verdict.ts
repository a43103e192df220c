// Validation of strategy code through the warm engine: the static policy, the load check in Freqtrade
// and a smoke backtest (freqtrade/engine/README.md, "validate"). The verdict is parsed here with zod.
// A run stopped by a CPU, memory or wall-clock limit is a rejected verdict (rule cpu-limit,
// memory-limit or timeout, at the stage that was running), not an engine error.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src/errors.ts';
import type { EngineLimits, EngineReply } from './protocol.ts';
import { failureError, readFailure } from './replies.ts';
import type { EngineServer } from './server.ts';

const ViolationSchema = z
  .object({ rule: z.string(), line: z.number().int().nullable(), message: z.string() })
  .loose();

/** The engine's validate request wants whole seconds and megabytes. */
function validateLimits(limits: EngineLimits): Record<string, number> {
  const out: Record<string, number> = {};
  if (limits.cpuSeconds !== undefined) out.cpu_seconds = Math.max(1, Math.ceil(limits.cpuSeconds));
  if (limits.memoryMb !== undefined) out.memory_mb = Math.max(64, Math.ceil(limits.memoryMb));
  if (limits.timeoutSeconds !== undefined)
    out.timeout_seconds = Math.max(1, Math.ceil(limits.timeoutSeconds));
  return out;
}

const VerdictSchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true) }).loose(),
  z
    .object({
      accepted: z.literal(false),
      stage: z.enum(['static', 'load', 'smoke', 'diagnosis', 'lookahead', 'recursive']),
      violations: z.array(ViolationSchema),
    })
    .loose(),
]);
export type Verdict = z.infer<typeof VerdictSchema>;

export type ValidateOptions = {
  datadir: string;
  marketsPath: string;
  className?: string;
  timeframe?: string;
  pairs?: string[];
  timerange?: string;
  /** Run the smoke backtest (default: the engine's choice, on). */
  smoke?: boolean;
  /** Also run Freqtrade's lookahead analysis (slow: tens of seconds). */
  lookahead?: boolean;
  /** Load and smoke-test against the pairs' USDT perpetuals (default spot). */
  tradingMode?: 'spot' | 'futures';
  /** The sandbox's limits for this validation (engine defaults: 120 s CPU, 3072 MB, 180 s). */
  limits?: EngineLimits;
  signal?: AbortSignal;
};

/** The paths a validate request names, as the engine's process sees them (host, or container). */
export type VerdictPaths = { strategyPath: string; datadir: string; marketsPath: string };

/** The engine's validate request (freqtrade/engine/README.md, "validate"), for the warm server and the one-shot command alike. */
export function validateRequest(
  paths: VerdictPaths,
  opts: Omit<ValidateOptions, 'datadir' | 'marketsPath' | 'signal'>,
) {
  return {
    strategy_path: paths.strategyPath,
    datadir: paths.datadir,
    markets_path: paths.marketsPath,
    ...(opts.className ? { strategy_class: opts.className } : {}),
    ...(opts.timeframe ? { timeframe: opts.timeframe } : {}),
    ...(opts.pairs ? { pairs: opts.pairs } : {}),
    ...(opts.timerange ? { timerange: opts.timerange } : {}),
    ...(opts.smoke === undefined ? {} : { smoke: opts.smoke }),
    ...(opts.lookahead ? { lookahead: true } : {}),
    ...(opts.tradingMode === 'futures' ? { trading_mode: 'futures' } : {}),
    ...(opts.limits ? { limits: validateLimits(opts.limits) } : {}),
  };
}

/**
 * The engine's answer to a validate request, from the warm server (with its `id`) or the one-shot
 * command's stdout line alike: the verdict, or an AppError when the engine could not judge.
 */
export function readVerdict(reply: EngineReply): Verdict {
  const failure = readFailure(reply);
  if (failure) throw failureError(failure);
  // The wire fields are the transport's, not the verdict's.
  const { id: _id, ok: _ok, ...rest } = reply;
  const verdict = VerdictSchema.safeParse(rest);
  if (!verdict.success) {
    throw new AppError('ENGINE_FAILED', 'The validation gave an answer I could not read. Try again.', {
      detail: `bad verdict: ${verdict.error.message}`,
    });
  }
  return verdict.data;
}

/** Validates `code`; resolves with the verdict, rejects with an AppError when the engine can't judge. */
export async function validateCode(
  server: EngineServer,
  code: string,
  opts: ValidateOptions,
): Promise<Verdict> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gentrade-validate-'));
  try {
    const strategyPath = path.join(dir, 'strategy.py');
    await writeFile(strategyPath, code, 'utf8');
    const request = validateRequest(
      { strategyPath, datadir: opts.datadir, marketsPath: opts.marketsPath },
      opts,
    );
    const reply = await server.send('validate', request, opts.signal ? { signal: opts.signal } : {});
    return readVerdict(reply);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
