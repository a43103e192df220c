import { describe, expect, it } from 'vitest';
import { numbersNotIn, ungroundedNumbers } from '../../../agents/explain/grounding.ts';
import { explainFromFigures, ignorableText } from '../../../agents/explain/template.ts';
import type { BacktestSummary } from '../../../freqtrade/result.ts';

const SUMMARY: BacktestSummary = {
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
  sortino: null,
  calmar: null,
  profitFactor: 0.83,
  expectancy: -1.85,
  cagr: -0.026,
  marketChange: 0.154,
  stakeCurrency: 'USDT',
  startingBalance: 1000,
  finalBalance: 987.01,
  timeframe: '1h',
  periodStart: '2024-01-01 00:00:00',
  periodEnd: '2024-07-01 00:00:00',
  runtimeSeconds: 2,
};
const RESULT = {
  name: 'btc-sma-20-50-1h',
  timerange: '20240101-20240701',
  pairs: ['BTC/USDT'],
  summary: SUMMARY,
};

describe('ungroundedNumbers', () => {
  it('accepts the figures as the trader sees them formatted', () => {
    const reply =
      'Only 7 trades (3 won, 4 lost): win rate 42.86%, profit -1.30% (-12.99 USDT), drawdown 3.12%, PF 0.83, ' +
      'Sharpe -0.41, holding changed +15.40%, from 2024-01-01 to 2024-07-01.';
    expect(ungroundedNumbers(reply, SUMMARY)).toEqual([]);
  });

  // Found in review: each passed the old check (sign ignored, any rounding, ratios times 100).
  it.each([
    ['It won 1 of 4 trades.', ['1']],
    ['Its win rate was about 13%.', ['13%']],
    ['That is 15% a year.', ['15%']],
    ['It made 1.30% over the period.', ['1.30%']],
  ])('refuses %s', (reply, expected) => {
    expect(ungroundedNumbers(reply, SUMMARY)).toEqual(expected);
  });

  it('refuses a figure rounded differently or without its unit', () => {
    expect(ungroundedNumbers('drawdown 3.1%, win rate 43%', SUMMARY)).toEqual(['3.1%', '43%']);
    expect(ungroundedNumbers('a loss of -12.99 and win rate 42.86', SUMMARY)).toEqual(['-12.99', '42.86']);
    expect(ungroundedNumbers('from 2024-02-01', SUMMARY)).toEqual(['2024-02-01']);
  });

  it('finds invented numbers', () => {
    expect(ungroundedNumbers('It made 25% with 12 trades and a Sharpe of 2.7.', SUMMARY)).toEqual([
      '25%',
      '12',
      '2.7',
    ]);
  });

  it('ignores the digits in names, timeframes and ranges it is told to ignore', () => {
    const reply = 'btc-sma-20-50-1h on BTC/USDT 1h over 20240101-20240701 made 7 trades.';
    expect(ungroundedNumbers(reply, SUMMARY)).not.toEqual([]);
    expect(ungroundedNumbers(reply, SUMMARY, ignorableText(RESULT))).toEqual([]);
  });
});

describe('numbersNotIn (chat replies)', () => {
  it('lets through only the numbers the user wrote', () => {
    expect(numbersNotIn('Sure, a 3% stop is common.', 'is a 3% stop too tight?')).toEqual([]);
    expect(numbersNotIn('BTC rose 12% this week, 10x leverage is fine.', 'hi')).toEqual(['12%', '10']);
    expect(numbersNotIn('I build and backtest strategies.', 'who are you?')).toEqual([]);
  });
});

describe('the template explanation', () => {
  it.each(['why so few trades?', 'is this any good?', 'explain the result', ''])(
    'quotes only figures of the result: %s',
    (question) => {
      const text = explainFromFigures(RESULT, question);
      expect(text).toContain('7 trades');
      expect(ungroundedNumbers(text, SUMMARY, ignorableText(RESULT))).toEqual([]);
    },
  );

  it('answers a zero-trade result with what to change', () => {
    const none = { ...RESULT, summary: { ...SUMMARY, trades: 0, wins: 0, losses: 0 } };
    expect(explainFromFigures(none, 'why no trades?')).toContain('never entered');
  });
});
