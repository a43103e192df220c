// The template explanation on the results that broke it in review: no trades, no losing trade (Freqtrade's
// placeholder profit factor and Sortino), one trade (placeholder Sharpe), a flat result, only losers;
// naming the period and version it explains; quoting the stored zero-trade diagnosis. Every reply is
// checked with the independent number check, built from the stored fields.
import { describe, expect, it } from 'vitest';
import { type ExplainedResult, explainFromFigures } from '../../../agents/explain/template.ts';
import type { BacktestSummary } from '../../../src/backtest/summary.ts';
import { checkNumbers } from '../../support/numbers.ts';

const BASE: BacktestSummary = {
  strategy: 'BtcSma',
  trades: 7,
  wins: 3,
  losses: 4,
  draws: 0,
  winRate: 0.428571,
  profitTotal: -0.012987,
  profitTotalAbs: -12.987,
  maxDrawdown: 0.0312,
  maxDrawdownAbs: 31.2,
  sharpe: -0.41,
  sortino: -0.6,
  calmar: -1.2,
  profitFactor: 0.83,
  expectancy: -1.85,
  cagr: -0.026,
  marketChange: 0.154,
  stakeCurrency: 'USDT',
  startingBalance: 1000,
  finalBalance: 987.01,
  timeframe: '1h',
  periodStart: '2025-01-01 00:00:00',
  periodEnd: '2025-12-31 00:00:00',
  runtimeSeconds: 2,
};
// What Freqtrade reports for a backtest without trades: zeros standing in for undefined ratios.
const NO_TRADES: BacktestSummary = {
  ...BASE,
  trades: 0,
  wins: 0,
  losses: 0,
  winRate: 0,
  profitTotal: 0,
  profitTotalAbs: 0,
  maxDrawdown: 0,
  maxDrawdownAbs: 0,
  sharpe: 0,
  sortino: 0,
  calmar: 0,
  profitFactor: 0,
  expectancy: 0,
  cagr: 0,
  finalBalance: 1000,
};
// Only winners: no losing profit, so profit factor 0 and Sortino -100 are placeholders.
const ALL_WINNERS: BacktestSummary = {
  ...BASE,
  trades: 5,
  wins: 5,
  losses: 0,
  winRate: 1,
  profitTotal: 0.0421,
  profitTotalAbs: 42.1,
  sharpe: 3.1,
  sortino: -100,
  profitFactor: 0,
  expectancy: 8.42,
  finalBalance: 1042.1,
};
const result = (summary: BacktestSummary, more: Partial<ExplainedResult> = {}): ExplainedResult => ({
  name: 'btc-sma-20-50-1h',
  timerange: '20250101-20251231',
  pairs: ['BTC/USDT'],
  summary,
  strategyVersion: 2,
  currentVersion: 2,
  ...more,
});
const QUESTIONS = ['is this any good?', 'why so few trades?', 'explain the result', ''];

/** The reply, after checking every number in it against the stored fields. */
function explained(r: ExplainedResult, question: string): string {
  const text = explainFromFigures(r, question);
  const { found, unexplained } = checkNumbers(text, { ...r, strategyName: r.name });
  expect(unexplained, text).toEqual([]);
  expect(found.length).toBeGreaterThan(0);
  return text;
}

describe('the template explanation', () => {
  it.each(QUESTIONS)('quotes only stored figures and names the period: "%s"', (question) => {
    const text = explained(result(BASE), question);
    expect(text).toMatch(
      /^Your latest backtest of btc-sma-20-50-1h \(2025-01-01 to 2025-12-31\): 7 trades \(3 won, 4 lost\)/,
    );
  });

  it('answers "is this any good?" on a result without trades: nothing lost, no losers, no ratios', () => {
    const text = explained(result(NO_TRADES), 'is this any good?');
    expect(text).toContain('it never entered a trade, so nothing was made or lost.');
    expect(text).toContain('With no trades there is no result to judge yet.');
    expect(text).toContain('Over the same period the market changed 15.40%.');
    for (const wrong of ['lost money', 'made money', 'Profit factor', 'losers', 'Sharpe', 'win rate', '0.00'])
      expect(text).not.toContain(wrong);
  });

  it('quotes the stored zero-trade diagnosis for "why so few trades?"', () => {
    const diagnosis =
      'On BTC/USDT 1h candles: rsi < 30 was true on 41 of 8737 candles; close > sma 200 was true on 4410 of ' +
      '8737 candles; each fired, but never on the same candle, so the entry never fired.';
    const text = explained(result(NO_TRADES, { diagnosis }), 'why so few trades?');
    expect(text).toContain(`nothing was made or lost. ${diagnosis} To get trades`);
    expect(text).not.toContain('entry conditions never held');
    // Without a stored diagnosis it claims no cause it doesn't know.
    const plain = explained(result(NO_TRADES), 'why so few trades?');
    expect(plain).toContain('No entry signal led to a trade on 1h candles in this period.');
    expect(plain).not.toContain('never held');
  });

  it("reads no losing trade as such, not Freqtrade's placeholder profit factor 0.00", () => {
    const text = explained(result(ALL_WINNERS), 'is this any good?');
    expect(text).toContain('It made money over the period.');
    expect(text).toContain('None of its trades lost money.');
    expect(text).not.toContain('Profit factor');
    expect(text).not.toContain('losers outweighed');
    expect(text).toContain('Sharpe ratio 3.10.');
  });

  it('gives the real profit factor when there are losers, and says when none made money', () => {
    expect(explained(result(BASE), 'is it any good?')).toContain(
      'Profit factor 0.83: the losers outweighed the winners.',
    );
    const onlyLosers = { ...BASE, wins: 0, losses: 7, winRate: 0, profitFactor: 0 };
    expect(explained(result(onlyLosers), 'is it any good?')).toContain(
      'Profit factor 0.00: none of its trades made money.',
    );
  });

  it('calls a flat result flat, and skips the placeholder Sharpe of a single trade', () => {
    const flat = { ...BASE, profitTotal: 0, profitTotalAbs: 0, finalBalance: 1000, marketChange: 0 };
    const text = explained(result(flat), 'is it any good?');
    expect(text).toContain('It ended flat: nothing made or lost overall.');
    expect(text).toContain('That matches simply holding');
    const single = { ...BASE, trades: 1, wins: 0, losses: 1, winRate: 0, sharpe: -100, sortino: -100 };
    const one = explained(result(single), 'is it any good?');
    expect(one).not.toContain('Sharpe');
    expect(one).not.toContain('-100');
  });

  it('names the version the backtest ran when the strategy has changed since', () => {
    const text = explained(result(BASE, { strategyVersion: 1, currentVersion: 3 }), 'is it any good?');
    expect(text).toMatch(
      /^Your latest backtest of btc-sma-20-50-1h \(2025-01-01 to 2025-12-31, version 1; the strategy is now at version 3\): /,
    );
  });

  it('says when the result does not cover the year asked about', () => {
    const asked = explained(result(BASE), 'how did it perform in 2024?');
    expect(asked).toContain('(2025-01-01 to 2025-12-31)');
    expect(asked).toContain('It does not cover the period you asked about');
    expect(explained(result(BASE), 'how did it perform in 2025?')).not.toContain('does not cover');
    // A backtest ending on 2025-01-01 (exclusive) covers none of 2025.
    const y2024 = { ...BASE, periodStart: '2024-01-01 00:00:00', periodEnd: '2025-01-01 00:00:00' };
    expect(explained(result(y2024), 'how did it do in 2025?')).toContain('does not cover');
    expect(explained(result(y2024), 'how did it do over 20240301-20240601?')).not.toContain('does not cover');
  });
});
