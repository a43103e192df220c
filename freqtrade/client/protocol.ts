// The warm engine server's wire format (freqtrade/engine/README.md, "serve"): one JSON request per
// stdin line, one JSON reply per stdout line carrying the request's id. Parsed here, once, with zod.
import { z } from 'zod';
import { userText } from '../user-text.ts';

const NetworkSchema = z.enum(['isolated', 'not isolated']);

/**
 * How the server sandboxes each run (server/probe.py): `isolated` when the OS boundary (namespaces,
 * a filesystem view, an unprivileged uid, seccomp) held in a probe at start; otherwise `reason` says
 * why not, and only the Python-level guards stand between strategy code and the machine. The reason
 * is OS error text that may end up in /help, so it is cleaned like any engine text.
 */
const SandboxSchema = z.object({
  isolated: z.boolean(),
  mechanisms: z.array(z.string()),
  python_guards: z.boolean(),
  reason: z
    .string()
    .nullable()
    .transform((reason) => (reason === null ? null : userText(reason))),
});
export type EngineSandbox = z.infer<typeof SandboxSchema>;

/** An engine from before the OS sandbox says nothing about it: treated as not isolated, never as isolated. */
const UNREPORTED: EngineSandbox = {
  isolated: false,
  mechanisms: [],
  python_guards: true,
  reason: 'the engine did not report an OS sandbox',
};

/** The first line the server prints, once Freqtrade is imported. */
export const ReadySchema = z.object({
  event: z.literal('ready'),
  pid: z.number().int(),
  slots: z.number().int(),
  network: NetworkSchema,
  validate: z.boolean(),
  sandbox: SandboxSchema.default(UNREPORTED),
  warmup_ms: z.number(),
});
export type EngineReady = z.infer<typeof ReadySchema>;

/**
 * A backtest's progress, between its request and its reply: the phase Freqtrade is in (loading candles,
 * computing indicators, the backtest loop) and, in the loop, the share of candles done.
 */
export const ProgressLineSchema = z.object({
  id: z.string(),
  event: z.literal('progress'),
  phase: z.enum(['loading', 'indicators', 'backtesting']),
  percent: z.number().min(0).max(100).nullable(),
});

/** A hyperopt's progress after each epoch: epochs done of the total, and the best loss so far. */
export const EpochLineSchema = z.object({
  id: z.string(),
  event: z.literal('progress'),
  phase: z.literal('hyperopt'),
  epochs: z.number().int().min(0),
  total: z.number().int().min(0),
  best_loss: z.number().nullable(),
});

/** A hyperopt epoch as the engine server hands it on. */
export type EngineEpoch = { epochs: number; total: number; bestLoss: number | null };

/** The one-shot command's progress line (in a container): the same event without an id. */
const OneShotProgressSchema = ProgressLineSchema.omit({ id: true });

/** A progress event as runners hand it on: the phase, and the percent where there is one. */
export function progressOf(line: z.infer<typeof OneShotProgressSchema>) {
  const { phase, percent } = line;
  return { phase, ...(percent !== null ? { percent } : {}) };
}

/** A one-shot stdout line read as a progress event, or undefined when it is anything else. */
export function oneShotProgress(line: string): ReturnType<typeof progressOf> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = OneShotProgressSchema.safeParse(JSON.parse(line));
    return parsed.success ? progressOf(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

/** A one-shot `hyperopt` stdout line (in a container) read as an epoch, or undefined when it is anything else. */
export function oneShotEpoch(line: string): EngineEpoch | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = EpochLineSchema.omit({ id: true }).safeParse(JSON.parse(line));
    if (!parsed.success) return undefined;
    const { epochs, total, best_loss } = parsed.data;
    return { epochs, total, bestLoss: best_loss };
  } catch {
    return undefined;
  }
}

/** Every reply line: the id, ok, and whatever the command answers (checked per command). */
export const ReplyLineSchema = z
  .object({ id: z.string().nullable(), ok: z.boolean(), network: NetworkSchema.optional() })
  .loose();
export type ReplyLine = z.infer<typeof ReplyLineSchema>;

/**
 * A reply whatever carried it: a warm server's line (which also has its id), or the one line a
 * one-shot command (`python -m gentrade_engine validate`, in a container) prints on stdout.
 */
export const CommandReplySchema = z.object({ ok: z.boolean() }).loose();
export type EngineReply = z.infer<typeof CommandReplySchema>;

/** A failed command. `rule` is set when a sandbox limit stopped the run (code LIMIT). */
export const FailureSchema = z.object({
  ok: z.literal(false),
  code: z.string(),
  message: z.string(),
  rule: z.enum(['cpu-limit', 'memory-limit', 'timeout', 'output-limit']).optional(),
});
export type EngineFailure = z.infer<typeof FailureSchema>;

export const BacktestSuccessSchema = z.object({
  ok: z.literal(true),
  result_path: z.string(),
  strategy: z.string(),
  trades: z.number().int(),
  network: NetworkSchema,
  /** Milliseconds per phase (backtest/phases.py); absent from engines before it. */
  timings: z.record(z.string(), z.number()).optional(),
});

export const PongSchema = z.object({ ok: z.literal(true), pong: z.literal(true), pid: z.number().int() });

/** What a child may use; unset fields take the server's defaults (600 s CPU, 3 GiB, 900 s). */
export type EngineLimits = { cpuSeconds?: number; memoryMb?: number; timeoutSeconds?: number };

export function limitsJson(limits: EngineLimits | undefined): Record<string, number> | undefined {
  if (!limits) return undefined;
  const out: Record<string, number> = {};
  if (limits.cpuSeconds !== undefined) out.cpu_seconds = limits.cpuSeconds;
  if (limits.memoryMb !== undefined) out.memory_mb = limits.memoryMb;
  if (limits.timeoutSeconds !== undefined) out.timeout_seconds = limits.timeoutSeconds;
  return out;
}

const PartSchema = z.object({ result_path: z.string(), trades: z.number().int() });

/** The hyperopt command's reply (gentrade_engine/hyperopt/run.py). */
export const HyperoptSuccessSchema = z.object({
  ok: z.literal(true),
  epochs_run: z.number().int(),
  best: z.object({ loss: z.number(), epoch: z.number().int(), params: z.unknown() }),
  baseline_loss: z.number().nullable().optional(),
  train: PartSchema,
  test: PartSchema.nullable(),
});
