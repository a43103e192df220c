// An independent check for tests that every number in a reply is a figure of the stored backtest it
// explains. It shares no code with agents/explain/grounding.ts on purpose: a bug there that lets an
// invented number through must not let the same number through here. Its own plain regex pulls the
// numbers out of the reply; the allowed set is built straight from the stored Backtest's fields,
// formatted as the result card shows them (12.30%, -4.56 USDT, 1.23, 2025-01-01), sign and unit included.
import type { BacktestSummary } from '../../src/backtest/summary.ts';

/** The stored fields a reply may quote: a Backtest document, and the strategy's version now if known. */
export type StoredResult = {
  strategyName: string;
  timerange: string;
  pairs: string[];
  summary: BacktestSummary;
  strategyVersion?: number | undefined;
  currentVersion?: number | undefined;
  diagnosis?: string | null | undefined;
};

const DATE = /\d{4}-\d{2}-\d{2}/g;

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const plain = (value: number) => value.toFixed(2);

/** Every formatted figure of the stored result that a reply may state. */
export function allowedFigures(r: StoredResult): Set<string> {
  const s = r.summary;
  const amount = (value: number) => `${value.toFixed(2)} ${s.stakeCurrency}`;
  const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  return new Set([
    ...[s.trades, s.wins, s.losses, s.draws].map(String),
    ...present([s.winRate, s.profitTotal, s.maxDrawdown, s.cagr, s.marketChange]).map(percent),
    ...present([s.profitTotalAbs, s.maxDrawdownAbs, s.expectancy, s.startingBalance, s.finalBalance]).map(
      amount,
    ),
    ...present([s.sharpe, s.sortino, s.calmar, s.profitFactor]).map(plain),
    s.periodStart.slice(0, 10),
    s.periodEnd.slice(0, 10),
  ]);
}

/**
 * The text a reply may contain whose digits are no figure: the strategy's name, its timerange, pairs and
 * timeframe, "version N" for the stored versions, and the stored zero-trade diagnosis quoted whole.
 */
function namesOf(r: StoredResult): string[] {
  const versions = [r.strategyVersion, r.currentVersion].flatMap((v) =>
    v === undefined ? [] : [`version ${v}`],
  );
  return [
    r.strategyName,
    r.timerange,
    r.summary.timeframe,
    ...r.pairs,
    ...versions,
    ...(r.diagnosis ? [r.diagnosis] : []),
  ];
}

/**
 * Every number in `reply` (dates, then numbers with their sign, a % or the stake currency), and those of
 * them the stored result doesn't contain. `found` lets a test show it checked something.
 */
export function checkNumbers(reply: string, r: StoredResult): { found: string[]; unexplained: string[] } {
  const allowed = allowedFigures(r);
  let text = reply;
  for (const name of namesOf(r).sort((a, b) => b.length - a.length)) text = text.split(name).join(' ');
  const found: string[] = [];
  text = text.replace(DATE, (date) => {
    found.push(date);
    return ' ';
  });
  // A minus counts as a sign unless it joins two words ("sma-20"); the unit is % or " USDT" right after.
  const number = new RegExp(`(?<![\\w.])-?\\d+(?:\\.\\d+)?(?:%| ${r.summary.stakeCurrency}\\b)?`, 'g');
  for (const m of text.matchAll(number)) found.push(m[0]);
  return { found, unexplained: found.filter((n) => !allowed.has(n)) };
}
