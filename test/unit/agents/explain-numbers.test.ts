// The test helper that checks explanations (test/support/numbers.ts) must itself fail on a number the
// stored result doesn't contain; otherwise every explanation test that uses it proves nothing.
import { describe, expect, it } from 'vitest';
import { allowedFigures, checkNumbers, type StoredResult } from '../../support/numbers.ts';
import { LOSING_RUN } from '../../support/summaries.ts';

const SUMMARY = LOSING_RUN;
const STORED: StoredResult = {
  strategyName: 'btc-sma-20-50-1h',
  timerange: '20240101-20240701',
  pairs: ['BTC/USDT'],
  summary: SUMMARY,
  strategyVersion: 1,
  currentVersion: 2,
};

describe('checkNumbers (test helper)', () => {
  it('builds the allowed figures from the stored fields, formatted as the card shows them', () => {
    const allowed = allowedFigures(STORED);
    for (const f of [
      '7',
      '3',
      '4',
      '42.86%',
      '-1.30%',
      '-12.99 USDT',
      '3.12%',
      '0.83',
      '-0.41',
      '2024-07-01',
    ])
      expect(allowed.has(f)).toBe(true);
    expect(allowed.has('1.30%')).toBe(false);
  });

  it('accepts a reply quoting only stored figures, names and versions', () => {
    const reply =
      'Your latest backtest of btc-sma-20-50-1h (2024-01-01 to 2024-07-01, version 1; btc-sma-20-50-1h is now ' +
      'at version 2): 7 trades (3 won, 4 lost), win rate 42.86%, total profit -1.30% (-12.99 USDT), max drawdown ' +
      '3.12%. Profit factor 0.83, Sharpe ratio -0.41, market +15.40%, BTC/USDT on 1h over 20240101-20240701.';
    const { found, unexplained } = checkNumbers(reply, STORED);
    expect(unexplained).toEqual([]);
    expect(found).toEqual(expect.arrayContaining(['2024-01-01', '7', '-1.30%', '-12.99 USDT', '15.40%']));
  });

  // A deliberately wrong reply: each of these numbers is not in the result as the trader sees it.
  it('fails a reply with numbers the result does not contain', () => {
    const wrong =
      'It made 1.30% (12.99 USDT) on 8 trades, win rate 43%, drawdown 3.1%, Sharpe 0.41, PF 0.830, ' +
      'a loss of -12.99 from 2024-02-01, 999 in all.';
    expect(checkNumbers(wrong, STORED).unexplained).toEqual([
      '2024-02-01',
      '1.30%',
      '12.99 USDT',
      '8',
      '43%',
      '3.1%',
      '0.41',
      '0.830',
      '-12.99',
      '999',
    ]);
  });

  it('counts the digits of a name only when the whole name is quoted', () => {
    expect(checkNumbers('btc-sma-20-50-1h made 7 trades', STORED).unexplained).toEqual([]);
    // "1h" is the stored timeframe, so only the name's own digits remain.
    expect(checkNumbers('btc-sma-21-50-1h made 7 trades', STORED).unexplained).toEqual(['21', '50']);
    expect(checkNumbers('now at version 5', STORED).unexplained).toEqual(['5']);
  });

  it('accepts the numbers of a stored diagnosis quoted whole, and no others', () => {
    const diagnosis = 'On BTC/USDT 1h: rsi < 30 was true on 12 of 4380 candles; it never fired.';
    const stored = { ...STORED, diagnosis };
    expect(checkNumbers(`It never entered a trade. ${diagnosis}`, stored).unexplained).toEqual([]);
    expect(checkNumbers('rsi < 30 was true on 12 of 4380 candles', stored).unexplained).toEqual([
      '30',
      '12',
      '4380',
    ]);
  });
});
