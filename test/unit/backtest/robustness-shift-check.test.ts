// Our own bias check: a negative shift written in the entry or exit conditions is found (Freqtrade's
// lookahead analysis does not flag it), a shift into the past or in the indicators is not; the card
// says the finding is ours and the verdict calls the strategy likely overfit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { negativeShifts } from '../../../src/backtest/robustness/shift-check.ts';
import { decideVerdict } from '../../../src/backtest/robustness/verdict.ts';
import { ALL_WON_RUN } from '../../support/summaries.ts';

const golden = readFileSync(
  path.resolve(import.meta.dirname, '../../fixtures/golden/BtcSma20501h.py'),
  'utf8',
);
const CROSS = '(dataframe["sma_20"] > dataframe["sma_50"])';

describe('the negative-shift check (our code)', () => {
  it('finds close.shift(-1) in an entry condition and nothing in the plain SMA cross', () => {
    expect(negativeShifts(golden)).toEqual([]);
    const peeking = golden.replace(CROSS, `${CROSS} & (dataframe["close"].shift(-1) > dataframe["close"])`);
    expect(peeking).not.toBe(golden);
    expect(negativeShifts(peeking)).toEqual(['dataframe["close"].shift(-1)']);
  });

  it('reads pasted code’s populate_entry_trend and populate_exit_trend, not its indicators', () => {
    const pasted = [
      'class S(IStrategy):',
      '    def populate_indicators(self, df, metadata):',
      '        df["next"] = df["close"].shift(-1)',
      '        return df',
      '    def populate_entry_trend(self, df, metadata):',
      '        df.loc[df["close"].shift(periods=-2) > df["close"].shift(1), "enter_long"] = 1',
      '        return df',
      '    def populate_exit_trend(self, df, metadata):',
      '        # df["close"].shift(-5) in a comment is not code',
      '        df.loc[df["rsi"].shift( - 3 ) > 70, "exit_long"] = 1',
      '        return df',
      '    def helper(self, df):',
      '        return df["close"].shift(-1)',
    ].join('\n');
    expect(negativeShifts(pasted)).toEqual(['df["close"].shift(periods=-2)', 'df["rsi"].shift( - 3 )']);
  });

  it('makes the verdict likely overfit, naming the shift as our finding', () => {
    const verdict = decideVerdict({
      full: ALL_WON_RUN,
      inSample: ALL_WON_RUN,
      outOfSample: ALL_WON_RUN,
      windows: [],
      monteCarlo: null,
      negativeShifts: ['dataframe["close"].shift(-1)'],
    });
    expect(verdict.word).toBe('likely overfit');
    expect(verdict.reasons[0]).toMatch(/^our code found the entry or exit conditions reading a later candle/);
  });
});
