// The deterministic explanation of a backtest result: used without a model, and whenever the model's
// explanation states a number the result doesn't contain. Every figure here is a summary field, formatted.
import type { BacktestSummary } from '../../freqtrade/result.ts';
import { fixed, money, pct } from '../../src/core/format.ts';

export type ExplainedResult = { name: string; timerange: string; pairs: string[]; summary: BacktestSummary };

// Thresholds decide which sentence fits; they are never printed, so they can't pass for results.
const FEW_TRADES = 20;
const THIN_SAMPLE = 30;

function headline(r: ExplainedResult): string {
  const s = r.summary;
  const draws = s.draws > 0 ? `, ${s.draws} even` : '';
  return (
    `${r.name} over ${r.timerange}: ${s.trades} trades (${s.wins} won, ${s.losses} lost${draws}), ` +
    `win rate ${pct(s.winRate)}, total profit ${pct(s.profitTotal)} (${money(s.profitTotalAbs, s.stakeCurrency)}), ` +
    `max drawdown ${pct(s.maxDrawdown)}.`
  );
}

function aboutTrades(s: BacktestSummary): string | undefined {
  if (s.trades === 0) {
    return `It never entered a trade: the entry conditions never held on ${s.timeframe} candles in this period. Loosen a threshold, use a shorter timeframe, add pairs or test a longer range.`;
  }
  if (s.trades < FEW_TRADES) {
    return `Trades are rare because the entry conditions seldom hold together on ${s.timeframe} candles. To trade more often, loosen a threshold, use a shorter timeframe, add pairs or test a longer range.`;
  }
  return undefined;
}

function verdict(s: BacktestSummary): string[] {
  const out = [s.profitTotal > 0 ? 'It made money over the period.' : 'It lost money over the period.'];
  if (s.marketChange !== null) {
    out.push(
      s.profitTotal > s.marketChange
        ? `That beats simply holding, which changed ${pct(s.marketChange)}.`
        : `Simply holding did better: the market changed ${pct(s.marketChange)}.`,
    );
  }
  if (s.profitFactor !== null) {
    out.push(
      s.profitFactor > 1
        ? `Profit factor ${fixed(s.profitFactor)}: the winners outweighed the losers.`
        : `Profit factor ${fixed(s.profitFactor)}: the losers outweighed the winners.`,
    );
  }
  if (s.sharpe !== null) out.push(`Sharpe ratio ${fixed(s.sharpe)}.`);
  if (s.trades > 0 && s.trades < THIN_SAMPLE)
    out.push('With this few trades the result says little; test a longer range before trusting it.');
  return out;
}

/** An explanation built only from the stored figures, shaped by what was asked. */
export function explainFromFigures(r: ExplainedResult, question: string): string {
  const parts = [headline(r)];
  const trades = aboutTrades(r.summary);
  const asksTrades = /\b(few|little|no|not many|more|only)\b.*\btrades?\b|\btrades?\b/i.test(question);
  if (trades && (asksTrades || r.summary.trades === 0)) parts.push(trades);
  if (!asksTrades || /\b(good|bad|worth|profitable|any good|results?)\b/i.test(question))
    parts.push(...verdict(r.summary));
  else if (trades === undefined)
    parts.push(
      `${r.summary.trades} trades is a reasonable sample for ${r.summary.timeframe} candles; see the win rate and profit above.`,
    );
  return parts.join(' ');
}

/** The text an explanation may quote without it counting as a figure. */
export function ignorableText(r: ExplainedResult): string[] {
  return [r.name, r.timerange, r.summary.timeframe, r.summary.stakeCurrency, ...r.pairs];
}
