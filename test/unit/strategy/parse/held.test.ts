// A close held beyond a line for several candles (`held` on above/below): "3 closes in a row above the upper
// band", "2 consecutive candles close above", "closes above the ema 20 for 3 candles in a row". The spec
// says it once; the renderer asks for it on each of those candles.
import { describe, expect, it } from 'vitest';
import { itemExpr } from '../../../../freqtrade/render/conditions.ts';
import { describeItem } from '../../../../src/strategy/describe.ts';
import { validateSpec } from '../../../../src/strategy/spec.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed, refused } from '../../../support/parse.ts';

const close = { kind: 'price', field: 'close' } as const;
const ema = (period: number) => ({ kind: 'ema', period, source: 'close' }) as const;
const upper = { kind: 'bollinger', period: 20, stddev: 2, output: 'upper' } as const;

describe('a close held beyond a line', () => {
  it.each([
    [
      'eth 1h buy when 3 closes in a row above the upper band',
      { op: 'above', left: close, right: upper, held: 3 },
    ],
    [
      'Buy XRP when 2 consecutive candles close above upper Bollinger Band, 2h',
      { op: 'above', left: close, right: upper, held: 2 },
    ],
    [
      'btc 4h buy when price closes above the ema 20 for 3 candles in a row, sell when it closes below',
      { op: 'above', left: close, right: ema(20), held: 3 },
    ],
    [
      'eth 1h buy after 2 closes above the 50 ema, sell when rsi > 70',
      { op: 'above', left: close, right: ema(50), held: 2 },
    ],
  ])('%j', (text, condition) => {
    expect(conditionsIn(parsed(text).spec.entry)).toContainEqual(condition);
  });

  it('is never the close when an average stays above another', () => {
    // Asked (no reading of a line held by the average): never "close above EMA(21)".
    const text = 'btc 1h buy when the 9 ema stays above the 21 ema for 3 candles, sell when rsi > 70';
    expect(refused(text)).not.toMatch(/^$/);
  });

  it('says it back and renders it as the comparison on each of those candles', () => {
    const condition = { op: 'above', left: close, right: ema(20), held: 3 } as const;
    expect(describeItem(condition)).toBe('close above EMA(20) for 3 candles in a row');
    expect(itemExpr(condition)).toMatch(/\.astype\(int\)\.rolling\(3\)\.sum\(\) == 3\)$/);
  });

  it('is validated: 2 to 10 candles', () => {
    const spec = parsed('btc 4h buy when price closes above the ema 20 for 3 candles in a row').spec;
    const [first] = conditionsIn(spec.entry);
    const withHeld = (held: number) => ({ ...spec, entry: { all: [{ ...first, held }] } });
    expect(validateSpec(withHeld(10)).ok).toBe(true);
    expect(validateSpec(withHeld(11)).ok).toBe(false);
    expect(validateSpec(withHeld(1)).ok).toBe(false);
  });
});
