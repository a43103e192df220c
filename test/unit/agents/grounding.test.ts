import { describe, expect, it } from 'vitest';
import { numbersNotIn, ungroundedNumbers } from '../../../agents/explain/grounding.ts';
import { explainFromFigures, ignorableText } from '../../../agents/explain/template.ts';
import { checkNumbers } from '../../support/numbers.ts';
import { LOSING_RUN } from '../../support/summaries.ts';

const SUMMARY = LOSING_RUN;
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
    expect(numbersNotIn('BTC rose 12% this week, 10x leverage is fine.', 'hi')).toEqual(['12%', '10', '10x']);
    expect(numbersNotIn('I build and backtest strategies.', 'who are you?')).toEqual([]);
  });
});

// The check the app runs against the independent one the tests use (test/support/numbers.ts): the two
// must agree on every reply, or one of them lets a number through that the other refuses.
describe('ungroundedNumbers against the independent check', () => {
  const stored = { ...RESULT, strategyName: RESULT.name };
  it.each([
    explainFromFigures(RESULT, 'is this any good?'),
    explainFromFigures(RESULT, 'why so few trades?'),
    'It made 7 trades, win rate 42.86%, profit -1.30% (-12.99 USDT) from 2024-01-01 to 2024-07-01.',
    'Only 3 of 7 trades won; Sharpe -0.41, profit factor 0.83.',
    'It made 1.30% on 8 trades.',
    'A loss of 12.99 USDT, drawdown 3.1%.',
    'btc-sma-21-50-1h won 43% of trades from 2024-02-01.',
  ])('agrees on: %s', (reply) => {
    // The app reports a number without its currency unit; the two agree on which numbers, in order.
    const app = ungroundedNumbers(reply, SUMMARY, ignorableText(RESULT));
    const independent = checkNumbers(reply, stored).unexplained.map((n) => n.replace(/ USDT$/, ''));
    expect(app).toEqual(independent);
  });
});
