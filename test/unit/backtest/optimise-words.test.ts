// What an optimisation card says in words: the changes (a spec's levels and stop-loss; custom code's
// defaults compared by value with what the code says), and the verdict on the test part in each of its
// branches, computed by our code on Freqtrade's two summaries; and how the form reads numbers.
import { describe, expect, it } from 'vitest';
import { changesInWords, type Optimisation, readOptimiseForm } from '../../../src/backtest/optimise.ts';
import { testVerdict } from '../../../src/core/optimise-card.ts';
import { parseStrategyText } from '../../../src/strategy/parse/offline-parser.ts';
import { LOSING_RUN } from '../../support/summaries.ts';

describe('the changes in words', () => {
  it("names a spec's changed levels and stop-loss with their old values, and leaves out what stayed", () => {
    const parsed = parseStrategyText('sol rsi 14 below 30 buy above 70 sell 15m 10% stop');
    if (!parsed.ok) throw new Error(parsed.reason);
    const words = changesInWords(parsed.spec, {
      buy: { entry_level_1: 27 },
      sell: { exit_level_1: 70 },
      stoploss: { stoploss: -0.1 },
    });
    expect(words).toEqual(['entry level 1 (RSI below): 30 → 27']);
  });

  it("compares custom code's defaults by value: 1.0 is 1, (0.01) is 0.01", () => {
    const before = {
      defaults: { buy_rsi: '30', buy_gap: '(0.01)', sell_mult: '1.0', buy_on: 'True', buy_kind: '"sma"' },
      stoploss: -0.1,
    };
    const unchanged = {
      buy: { buy_rsi: 30, buy_gap: 0.01, buy_on: true, buy_kind: 'sma' },
      sell: { sell_mult: 1 },
      stoploss: { stoploss: -0.1 },
    };
    expect(changesInWords(null, unchanged, before)).toEqual([]);
    const changed = { buy: { buy_rsi: 28, buy_gap: 0.01 }, stoploss: { stoploss: -0.05 } };
    expect(changesInWords(null, changed, before)).toEqual(['buy_rsi: 30 → 28', 'stop-loss: -10% → -5%']);
  });

  it('gives a found value alone when the code has none to compare with', () => {
    expect(changesInWords(null, { buy: { buy_x: 3 }, stoploss: { stoploss: -0.2 } })).toEqual([
      'buy_x: 3',
      'stop-loss: -20%',
    ]);
  });
});

describe('the verdict on the test part', () => {
  const run = (profitTotal: number, trades: number, start: string, end: string) => ({
    ...LOSING_RUN,
    profitTotal,
    trades,
    periodStart: `${start} 00:00:00`,
    periodEnd: `${end} 00:00:00`,
  });
  // Training over 60 days at +6% (3% per 30 days).
  const train = run(0.06, 20, '2024-01-01', '2024-03-01');
  const verdict = (test: ReturnType<typeof run> | null, t = train) =>
    testVerdict({ train: t, test } as unknown as Optimisation);

  it('holds when the test part keeps at least half the training rate', () => {
    // 30 days at +2%: 67% of the training rate.
    expect(verdict(run(0.02, 5, '2024-03-01', '2024-03-31'))).toEqual({
      holds: true,
      words:
        'Holds on the test part: it keeps 66.67% of the training rate (profit per 30 days +3.00% in training, +2.00% in the test part).',
    });
  });

  it('flags a test part that keeps under half the rate, one that lost money, and one without trades', () => {
    expect(verdict(run(0.01, 5, '2024-03-01', '2024-03-31')).words).toMatch(
      /^ONLY SHINES IN TRAINING: the test part keeps 33\.33% of the training rate \(flagged under 50/,
    );
    expect(verdict(run(-0.01, 5, '2024-03-01', '2024-03-31')).words).toMatch(
      /^ONLY SHINES IN TRAINING: it lost money on the test part/,
    );
    expect(verdict(run(0, 0, '2024-03-01', '2024-03-31')).words).toMatch(
      /^ONLY SHINES IN TRAINING: no trades in the test part/,
    );
  });

  it('says when training made nothing to keep, and when no test part ran', () => {
    expect(
      verdict(run(0.01, 5, '2024-03-01', '2024-03-31'), run(-0.02, 9, '2024-01-01', '2024-03-01')),
    ).toMatchObject({
      holds: false,
      words: expect.stringMatching(/^No profit in training to keep/),
    });
    expect(verdict(null).words).toBe('No test part was run, so nothing shows it holds outside training.');
  });
});

describe('the form', () => {
  const allowed = ['entry_level_1', 'stoploss', 'roi'];
  it('takes whole numbers written in digits only', () => {
    expect(() => readOptimiseForm({ epochs: '1e2' }, allowed)).toThrow(
      'Epochs must be a whole number from 1 to 500, got "1e2".',
    );
    expect(() => readOptimiseForm({ epochs: '0x10', train: '7e1' }, allowed)).toThrow(
      /got "0x10".*The training share must be a whole number from 10 to 90, got "7e1"/,
    );
    expect(readOptimiseForm({ epochs: ' 40 ', train: '60%' }, allowed)).toMatchObject({
      epochs: 40,
      trainPercent: 60,
    });
  });
});
