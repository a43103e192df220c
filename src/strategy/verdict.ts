// What checking strategy code answers: accepted (with what loaded and what GenTrade filled in) or
// refused at a stage with the rules it broke. Shared vocabulary: freqtrade/ produces verdicts, the core
// and the agent read them, and the validator is the port between them.

/** A code problem the validation pipeline found: the rule it broke, where, and a sentence for the trader. */
export type CodeViolation = { rule: string; line: number | null; message: string };

/**
 * The validation pipeline's answer (freqtrade/engine README, "validate"). Accepted code names the
 * class that loaded and its timeframe; with the smoke backtest, its trades, and why there were none.
 */
export type StrategyVerdict =
  | {
      accepted: true;
      className: string | null;
      timeframe: string | null;
      smoke?: { trades: number; timerange: string; pairs: string[] };
      diagnosis?: string;
      /** Sentences on what GenTrade filled in or chose ("The strategy sets no stoploss; GenTrade used -10% ..."). */
      notes?: string[];
    }
  | { accepted: false; stage: string; violations: CodeViolation[] };

/** Static policy, load check and (unless `smoke` is false) a smoke backtest of strategy code. */
export type StrategyValidator = {
  validate(
    code: string,
    opts: {
      className?: string;
      timeframe?: string;
      pairs?: string[];
      smoke?: boolean;
      /** Futures code (can_short) loads only against futures markets; spot when absent. */
      tradingMode?: 'spot' | 'futures';
      /** The request's correlation id, for what the validator logs about it. */
      correlationId?: string;
    },
  ): Promise<StrategyVerdict>;
};
