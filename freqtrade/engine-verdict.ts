// Validation of strategy code through the warm engine: the static policy, the load check in Freqtrade
// and a smoke backtest (freqtrade/engine/README.md, "validate"). The verdict is parsed here with zod.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../src/errors.ts';
import type { EngineLimits } from './engine-protocol.ts';
import { failureError, readFailure } from './engine-replies.ts';
import type { EngineServer } from './engine-server.ts';

const ViolationSchema = z
  .object({ rule: z.string(), line: z.number().int().nullable(), message: z.string() })
  .loose();

const VerdictSchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true) }).loose(),
  z.object({ accepted: z.literal(false), stage: z.string(), violations: z.array(ViolationSchema) }).loose(),
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
  limits?: EngineLimits;
  signal?: AbortSignal;
};

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
    const request = {
      strategy_path: strategyPath,
      datadir: opts.datadir,
      markets_path: opts.marketsPath,
      ...(opts.className ? { strategy_class: opts.className } : {}),
      ...(opts.timeframe ? { timeframe: opts.timeframe } : {}),
      ...(opts.pairs ? { pairs: opts.pairs } : {}),
      ...(opts.timerange ? { timerange: opts.timerange } : {}),
      ...(opts.smoke === undefined ? {} : { smoke: opts.smoke }),
    };
    const reply = await server.send('validate', request, {
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const failure = readFailure(reply);
    if (failure?.code === 'BAD_REQUEST' && failure.message === 'validate is not available') {
      throw new AppError('ENGINE_FAILED', 'Strategy validation is not available in this engine yet.', {
        detail: failure.message,
      });
    }
    if (failure) throw failureError(failure);
    // The wire fields are the server's, not the verdict's.
    const { id: _id, ok: _ok, ...rest } = reply;
    const verdict = VerdictSchema.safeParse(rest);
    if (!verdict.success) {
      throw new AppError('ENGINE_FAILED', 'The validation gave an answer I could not read. Try again.', {
        detail: `bad verdict: ${verdict.error.message}`,
      });
    }
    return verdict.data;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
