import { describe, expect, it } from 'vitest';
import { codeDiff, specChanges } from '../../../src/core/diff.ts';

describe('specChanges', () => {
  const v1 = {
    timeframe: '1h',
    stoploss: -0.05,
    entry: {
      all: [{ op: 'crosses_above', left: { kind: 'sma', period: 20 }, right: { kind: 'sma', period: 50 } }],
    },
    pairs: ['BTC/USDT'],
  };

  it('names each changed, added and removed field with its old and new value', () => {
    const v2 = {
      ...v1,
      stoploss: -0.03,
      pairs: ['BTC/USDT', 'ETH/USDT'],
      trailingStop: { positive: 0.01 },
      entry: { all: [{ ...v1.entry.all[0], left: { kind: 'ema', period: 20 } }] },
    };
    expect(specChanges(v1, v2)).toEqual([
      'entry.all[0].left.kind: "sma" → "ema"',
      '+ pairs[1]: "ETH/USDT"',
      'stoploss: -0.05 → -0.03',
      '+ trailingStop.positive: 0.01',
    ]);
    expect(specChanges(v2, v1)).toContain('- trailingStop.positive: 0.01');
  });

  it('lists a field added to an empty object as added, not the object as removed', () => {
    expect(specChanges({}, { protections: { cooldownCandles: 5 } })).toEqual([
      '+ protections.cooldownCandles: 5',
    ]);
  });

  it('is empty for equal specs, whatever the key order', () => {
    const reordered = { pairs: v1.pairs, entry: v1.entry, stoploss: v1.stoploss, timeframe: v1.timeframe };
    expect(specChanges(v1, reordered)).toEqual([]);
  });
});

describe('codeDiff', () => {
  it('is a unified diff labelled with the versions, empty when nothing changed', () => {
    const a = { version: 1, code: 'a = 1\nb = 2\nc = 3\n' };
    const b = { version: 2, code: 'a = 1\nb = 20\nc = 3\n' };
    const patch = codeDiff('S.py', a, b);
    expect(patch).toContain('--- S.py (v1)');
    expect(patch).toContain('+++ S.py (v2)');
    expect(patch).toContain('-b = 2\n+b = 20');
    expect(codeDiff('S.py', a, { ...a, version: 3 })).toBe('');
  });
});
