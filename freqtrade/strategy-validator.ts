// The core's StrategyValidator port over the warm engine server: engine-verdict.ts asks the engine, and
// this reads the fields the core needs (class, timeframe, smoke trades, diagnosis) out of the verdict,
// with zod, so the conversation core never depends on the engine's wire format.
import { z } from 'zod';
import type { StrategyValidator, StrategyVerdict } from '../src/core/ports.ts';
import type { EngineServer } from './engine-server.ts';
import { type Verdict, validateCode } from './engine-verdict.ts';

const AcceptedSchema = z.object({
  class: z.string().nullish(),
  timeframe: z.string().nullish(),
  smoke: z
    .object({
      trades: z.number().int(),
      timerange: z.string(),
      timeframe: z.string().nullish(),
      pairs: z.array(z.string()).default([]),
    })
    .loose()
    .nullish(),
  diagnosis: z.object({ sentence: z.string() }).loose().nullish(),
});

/** The engine's verdict in the core's terms; unknown extra fields are ignored. */
function toStrategyVerdict(verdict: Verdict): StrategyVerdict {
  if (!verdict.accepted) {
    return {
      accepted: false,
      stage: verdict.stage,
      violations: verdict.violations.map((v) => ({ rule: v.rule, line: v.line, message: v.message })),
    };
  }
  const parsed = AcceptedSchema.safeParse(verdict);
  const data = parsed.success ? parsed.data : {};
  const smoke = data.smoke;
  return {
    accepted: true,
    className: data.class ?? null,
    timeframe: data.timeframe ?? smoke?.timeframe ?? null,
    ...(smoke ? { smoke: { trades: smoke.trades, timerange: smoke.timerange, pairs: smoke.pairs } } : {}),
    ...(data.diagnosis ? { diagnosis: data.diagnosis.sentence } : {}),
  };
}

export function createStrategyValidator(deps: {
  server: EngineServer;
  datadir: string;
  marketsPath: string;
}): StrategyValidator {
  return {
    async validate(code, opts) {
      const verdict = await validateCode(deps.server, code, {
        datadir: deps.datadir,
        marketsPath: deps.marketsPath,
        ...(opts.className ? { className: opts.className } : {}),
        ...(opts.timeframe ? { timeframe: opts.timeframe } : {}),
        ...(opts.pairs && opts.pairs.length > 0 ? { pairs: opts.pairs } : {}),
        ...(opts.smoke === undefined ? {} : { smoke: opts.smoke }),
        ...(opts.tradingMode ? { tradingMode: opts.tradingMode } : {}),
      });
      return toStrategyVerdict(verdict);
    },
  };
}
