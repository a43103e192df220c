// The core's StrategyValidator port over whatever asks the engine for a verdict: the warm engine server
// (engineJudge here, through client/verdict.ts) or a one-shot container (docker/validator.ts). This
// reads the fields the core needs (class, timeframe, smoke trades, diagnosis, the notes on settings
// GenTrade filled in) out of the verdict with zod, one way for both, so the conversation core never
// depends on the engine's wire format or on where it ran. A load or smoke
// failure quotes strategy code's own exception: the core gets it capped and cleaned (user-text.ts),
// the log gets it whole with the correlation id.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StrategyValidator, StrategyVerdict } from '../src/strategy/verdict.ts';
import type { EngineServer } from './client/server.ts';
import { type ValidateOptions, type Verdict, validateCode } from './client/verdict.ts';
import { userText } from './user-text.ts';

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
  notes: z.array(z.string()).nullish(),
});

/** The engine's verdict in the core's terms; unknown extra fields are ignored. */
function toStrategyVerdict(verdict: Verdict): StrategyVerdict {
  if (!verdict.accepted) {
    return {
      accepted: false,
      stage: verdict.stage,
      violations: verdict.violations.map((v) => ({
        rule: v.rule,
        line: v.line,
        message: userText(v.message),
      })),
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
    ...(data.diagnosis ? { diagnosis: userText(data.diagnosis.sentence) } : {}),
    ...(data.notes && data.notes.length > 0 ? { notes: data.notes.map(userText) } : {}),
  };
}

/** The violations whose text the user sees shortened, as the engine wrote them. */
function shortened(verdict: Verdict): { rule: string; line: number | null; message: string }[] {
  if (verdict.accepted) return [];
  return verdict.violations
    .filter((v) => userText(v.message) !== v.message)
    .map((v) => ({ rule: v.rule, line: v.line, message: v.message }));
}

/** What a validation asks for, whichever engine answers; paths are the judge's business. */
export type VerdictRequest = Omit<ValidateOptions, 'datadir' | 'marketsPath'>;

/** Runs the engine's validation of `code` and resolves with its verdict (client/verdict.ts parses it). */
export type Judge = (code: string, opts: VerdictRequest) => Promise<Verdict>;

/** The warm engine server as a judge, with the market data it validates against. */
export function engineJudge(deps: { server: EngineServer; datadir: string; marketsPath: string }): Judge {
  return (code, opts) =>
    validateCode(deps.server, code, { ...opts, datadir: deps.datadir, marketsPath: deps.marketsPath });
}

export function createStrategyValidator(deps: {
  judge: Judge;
  /** Where the whole text of shortened violations goes; the CLI, which prints them whole, has none. */
  logger?: Logger;
}): StrategyValidator {
  return {
    async validate(code, opts) {
      const verdict = await deps.judge(code, {
        ...(opts.className ? { className: opts.className } : {}),
        ...(opts.timeframe ? { timeframe: opts.timeframe } : {}),
        ...(opts.pairs && opts.pairs.length > 0 ? { pairs: opts.pairs } : {}),
        ...(opts.smoke === undefined ? {} : { smoke: opts.smoke }),
        ...(opts.tradingMode ? { tradingMode: opts.tradingMode } : {}),
      });
      const whole = shortened(verdict);
      if (whole.length > 0) {
        deps.logger?.warn(
          { correlationId: opts.correlationId, violations: whole },
          'strategy code rejected; the user sees these messages shortened',
        );
      }
      return toStrategyVerdict(verdict);
    },
  };
}
