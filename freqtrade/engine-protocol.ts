// The warm engine server's wire format (freqtrade/engine/README.md, "serve"): one JSON request per
// stdin line, one JSON reply per stdout line carrying the request's id. Parsed here, once, with zod.
import { z } from 'zod';

const NetworkSchema = z.enum(['isolated', 'not isolated']);

/** The first line the server prints, once Freqtrade is imported. */
export const ReadySchema = z.object({
  event: z.literal('ready'),
  pid: z.number().int(),
  slots: z.number().int(),
  network: NetworkSchema,
  validate: z.boolean(),
  warmup_ms: z.number(),
});
export type EngineReady = z.infer<typeof ReadySchema>;

/** Every reply line: the id, ok, and whatever the command answers (checked per command). */
export const ReplyLineSchema = z
  .object({ id: z.string().nullable(), ok: z.boolean(), network: NetworkSchema.optional() })
  .loose();
export type ReplyLine = z.infer<typeof ReplyLineSchema>;

/** A failed command. `rule` is set when a sandbox limit stopped the run (code LIMIT). */
export const FailureSchema = z.object({
  ok: z.literal(false),
  code: z.string(),
  message: z.string(),
  rule: z.enum(['cpu-limit', 'memory-limit', 'timeout']).optional(),
});
export type EngineFailure = z.infer<typeof FailureSchema>;

export const BacktestSuccessSchema = z.object({
  ok: z.literal(true),
  result_path: z.string(),
  strategy: z.string(),
  trades: z.number().int(),
  network: NetworkSchema,
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
