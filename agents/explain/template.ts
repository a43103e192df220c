// The deterministic explanation of a backtest result: used without a model, and whenever the model's
// explanation states a number the result doesn't contain. Every figure here is a stored field, formatted
// as the result card shows it; a figure Freqtrade only fills in as a placeholder is never read as a result.

import { meaningfulFigures } from '../../src/backtest/figures.ts';
import type { BacktestSummary } from '../../src/backtest/summary.ts';
import { fixed, money, pct } from '../../src/core/format.ts';
import { versusHolding } from './comparisons.ts';

export type ExplainedResult = {
  name: string;
  timerange: string;
  pairs: string[];
  summary: BacktestSummary;
  /** The strategy version the backtest ran; named when the strategy has moved on since. */
  strategyVersion?: number | undefined;
  /** The strategy's version now. */
  currentVersion?: number | undefined;
  /** Why it made no trades: the engine's diagnosis on the backtest's own data, when one was stored. */
  diagnosis?: string | null | undefined;
};

// Thresholds decide which sentence fits; they are never printed, so they can't pass for results.
const FEW_TRADES = 20;
const THIN_SAMPLE = 30;
/** The days the backtest covered, as the result card's Period field shows them. */
export function summaryTimerange(s: BacktestSummary): string {
  return `${s.periodStart.slice(0, 10)} to ${s.periodEnd.slice(0, 10)}`;
}

/** Which result is explained: "Your latest backtest of X (2025-01-01 to 2025-12-31)", plus an older version. */
export function whichResult(r: ExplainedResult): string {
  const older =
    r.strategyVersion !== undefined &&
    r.currentVersion !== undefined &&
    r.strategyVersion !== r.currentVersion
      ? `, version ${r.strategyVersion}; the strategy is now at version ${r.currentVersion}`
      : '';
  return `Your latest backtest of ${r.name} (${summaryTimerange(r.summary)}${older})`;
}

/**
 * A sentence when the question names years the result doesn't cover ("how did it do in 2024?" about a
 * 2025 backtest). It names no year itself: every number in an explanation comes from the result.
 */
export function coverageNote(r: ExplainedResult, question: string): string | undefined {
  const years = [...question.matchAll(/(?<!\d)(20\d{2})(?:-?\d{2}-?\d{2})?(?!\d)/g)].map((m) => Number(m[1]));
  if (years.length === 0) return undefined;
  const start = r.summary.periodStart.slice(0, 10);
  const end = r.summary.periodEnd.slice(0, 10);
  // The end is exclusive: a backtest to 2025-01-01 covers none of 2025.
  const covered = years.some((y) => start < `${y + 1}-01-01` && end > `${y}-01-01`);
  if (covered) return undefined;
  return 'It does not cover the period you asked about; ask me to backtest it over that period to see how it did then.';
}

function headline(r: ExplainedResult, s: BacktestSummary): string {
  if (s.trades === 0) return `${whichResult(r)}: it never entered a trade, so nothing was made or lost.`;
  const draws = s.draws > 0 ? `, ${s.draws} even` : '';
  const figures = [
    `${s.trades} trades (${s.wins} won, ${s.losses} lost${draws})`,
    ...(s.winRate !== null ? [`win rate ${pct(s.winRate)}`] : []),
    `total profit ${pct(s.profitTotal)} (${money(s.profitTotalAbs, s.stakeCurrency)})`,
    ...(s.maxDrawdown !== null ? [`max drawdown ${pct(s.maxDrawdown)}`] : []),
  ];
  return `${whichResult(r)}: ${figures.join(', ')}.`;
}

const ADVICE = 'loosen a threshold, use a shorter timeframe, add pairs or test a longer range.';

function aboutTrades(r: ExplainedResult, s: BacktestSummary): string | undefined {
  if (s.trades === 0) {
    // The stored diagnosis names each entry condition and how often it held ("On BTC/USDT 1h ...").
    const why =
      r.diagnosis?.trim() || `No entry signal led to a trade on ${s.timeframe} candles in this period.`;
    return `${why} To get trades, ${ADVICE}`;
  }
  if (s.trades < FEW_TRADES) {
    return `Trades are rare because the entry conditions seldom hold together on ${s.timeframe} candles. To trade more often, ${ADVICE}`;
  }
  return undefined;
}

function outcome(s: BacktestSummary): string {
  if (s.profitTotal > 0) return 'It made money over the period.';
  if (s.profitTotal < 0) return 'It lost money over the period.';
  return 'It ended flat: nothing made or lost overall.';
}

/** Compared on the figures as the card shows them: 15.401% against 15.40% matches. */
function besideHolding(s: BacktestSummary, market: number): string {
  if (s.trades === 0) return `Over the same period the market changed ${pct(market)}.`;
  const side = versusHolding(s.profitTotal, market);
  if (side === 'ahead') return `That beats simply holding, which changed ${pct(market)}.`;
  if (side === 'behind') return `Simply holding did better: the market changed ${pct(market)}.`;
  return `That matches simply holding: the market changed ${pct(market)}.`;
}

function winnersAndLosers(s: BacktestSummary): string | undefined {
  if (s.losses === 0) return s.wins > 0 ? 'None of its trades lost money.' : 'Every trade closed even.';
  if (s.profitFactor === null) return undefined;
  const pf = `Profit factor ${fixed(s.profitFactor)}`;
  if (s.wins === 0) return `${pf}: none of its trades made money.`;
  if (s.profitFactor > 1) return `${pf}: the winners outweighed the losers.`;
  if (s.profitFactor < 1) return `${pf}: the losers outweighed the winners.`;
  return `${pf}: the winners and the losers balanced out.`;
}

function verdict(s: BacktestSummary): string[] {
  if (s.trades === 0) {
    const out = ['With no trades there is no result to judge yet.'];
    if (s.marketChange !== null) out.push(besideHolding(s, s.marketChange));
    return out;
  }
  const out = [outcome(s)];
  if (s.marketChange !== null) out.push(besideHolding(s, s.marketChange));
  const trades = winnersAndLosers(s);
  if (trades) out.push(trades);
  if (s.sharpe !== null) out.push(`Sharpe ratio ${fixed(s.sharpe)}.`);
  if (s.trades < THIN_SAMPLE)
    out.push('With this few trades the result says little; test a longer range before trusting it.');
  return out;
}

/** An explanation built only from the stored figures, shaped by what was asked. */
export function explainFromFigures(r: ExplainedResult, question: string): string {
  const s = meaningfulFigures(r.summary);
  const parts = [headline(r, s)];
  const note = coverageNote(r, question);
  if (note) parts.push(note);
  const trades = aboutTrades(r, s);
  const asksTrades = /\btrades?\b|\btrading\b/i.test(question);
  if (trades && (asksTrades || s.trades === 0)) parts.push(trades);
  if (!asksTrades || /\b(good|bad|worth|profitable|any good|results?)\b/i.test(question))
    parts.push(...verdict(s));
  else if (trades === undefined)
    parts.push(
      `${s.trades} trades is a reasonable sample for ${s.timeframe} candles; see the win rate and profit above.`,
    );
  return parts.join(' ');
}

/** The text an explanation may quote without it counting as a figure. */
export function ignorableText(r: ExplainedResult): string[] {
  const versions = [r.strategyVersion, r.currentVersion].flatMap((v) =>
    v === undefined ? [] : [`version ${v}`],
  );
  return [
    r.name,
    r.timerange,
    r.summary.timeframe,
    r.summary.stakeCurrency,
    ...r.pairs,
    ...versions,
    ...(r.diagnosis ? [r.diagnosis] : []),
  ];
}
