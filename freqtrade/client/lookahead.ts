// Freqtrade's lookahead analysis of one strategy, through the engine's validate command with
// `lookahead: true` (freqtrade/engine README, "validate"): whether entry or exit signals changed when
// the candles after them were hidden. Tens of seconds; the robustness report runs it once.
import { z } from 'zod';
import type { LookaheadCheck } from '../../src/backtest/robustness/report.ts';
import type { EngineServer } from './server.ts';
import { validateCode } from './verdict.ts';

const LookaheadReplySchema = z
  .object({ checked: z.boolean(), biased: z.boolean().optional(), sentence: z.string() })
  .loose();
/** Freqtrade's recursive-indicator analysis, run by the engine with the lookahead analysis. */
const RecursiveReplySchema = z
  .object({ checked: z.boolean(), varies: z.boolean(), sentence: z.string() })
  .loose();

export type LookaheadInput = {
  code: string;
  className: string;
  timeframe: string;
  pairs: string[];
  timerange: string;
  tradingMode?: 'spot' | 'futures';
  signal?: AbortSignal;
};

export function createLookaheadCheck(deps: { server: EngineServer; datadir: string; marketsPath: string }) {
  return async (input: LookaheadInput): Promise<LookaheadCheck> => {
    const notRun = (why: string) => ({
      checked: false,
      biased: false,
      sentence: why,
      timerange: input.timerange,
    });
    // The engine's lookahead stage is spot-only (the README's validate section).
    if (input.tradingMode === 'futures')
      return notRun('Not run: the lookahead analysis covers spot strategies only.');
    const verdict = await validateCode(deps.server, input.code, {
      datadir: deps.datadir,
      marketsPath: deps.marketsPath,
      className: input.className,
      timeframe: input.timeframe,
      pairs: input.pairs,
      timerange: input.timerange,
      lookahead: true,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (!verdict.accepted) {
      return notRun(`Not run: the strategy did not pass the ${verdict.stage} stage before the analysis.`);
    }
    const reply = LookaheadReplySchema.safeParse(verdict.lookahead);
    if (!reply.success) return notRun('Not run: the engine gave no lookahead answer.');
    const recursive = RecursiveReplySchema.safeParse(verdict.recursive).data;
    return {
      checked: reply.data.checked,
      biased: reply.data.biased ?? false,
      sentence: reply.data.sentence,
      timerange: input.timerange,
      ...(recursive
        ? {
            recursive: { checked: recursive.checked, varies: recursive.varies, sentence: recursive.sentence },
          }
        : {}),
    };
  };
}
