// A result from an earlier version of a strategy is labelled with that version on the result card and
// in /compare, so a trader never reads an old version's figures as the current one's. Uses the
// checked-in Freqtrade result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBacktestResult, readResultJson } from '../../../freqtrade/result.ts';
import { compareCard, olderVersion, resultCard } from '../../../src/core/cards.ts';

const fixture = new URL('../../fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const summary = parseBacktestResult(readResultJson(readFileSync(fixture, 'utf8')), 'BtcSma20501h');

describe('version labels', () => {
  it('names the version only when it is not the current one', () => {
    expect(olderVersion({ run: 2, current: 5 })).toBe('v2 (now v5)');
    expect(olderVersion({ run: 5, current: 5 })).toBeUndefined();
    expect(olderVersion(undefined)).toBeUndefined();
  });

  it('puts the version on the result card of an older version', () => {
    const old = resultCard('btc', '20240101-20240201', ['BTC/USDT'], summary, { run: 2, current: 5 });
    expect(old.title).toBe('Backtest: btc v2 20240101-20240201');
    expect(old.description).toBe('BTC/USDT on 1h. Version 2; btc is now at version 5.');
    const now = resultCard('btc', '20240101-20240201', ['BTC/USDT'], summary, { run: 5, current: 5 });
    expect(now.title).toBe('Backtest: btc 20240101-20240201');
    expect(now.description).toBe('BTC/USDT on 1h');
    expect(now.fields).toEqual(old.fields);
  });

  it('labels an older version in /compare and leaves the current one plain', () => {
    const row = { timerange: '20240101-20240201', pairs: ['BTC/USDT'], summary };
    const card = compareCard([
      { ...row, name: 'a', version: { run: 2, current: 4 } },
      { ...row, name: 'b', version: { run: 3, current: 3 } },
    ]);
    expect(card.description).toBe(
      'a v2 (now v4): 20240101-20240201, BTC/USDT, 1h\nb: 20240101-20240201, BTC/USDT, 1h',
    );
  });
});
