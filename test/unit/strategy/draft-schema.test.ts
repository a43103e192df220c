// The schema the model fills through OpenAI function calling: zod 4 must turn it into plain JSON Schema
// (no transforms or custom types that toJSONSchema refuses), and both spec versions must fit it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DraftSpecSchema } from '../../../src/strategy/spec.ts';

describe('DraftSpecSchema', () => {
  it('converts to a JSON Schema object with every version-2 field', () => {
    const schema = z.toJSONSchema(DraftSpecSchema, { io: 'input' });
    expect(schema.type).toBe('object');
    const text = JSON.stringify(schema);
    for (const field of [
      'entry',
      'exit',
      'short',
      'informative',
      'tradingMode',
      'stakeAmount',
      'protections',
    ]) {
      expect(text).toContain(`"${field}"`);
    }
    for (const kind of ['macd', 'bollinger', 'stochastic', 'donchian', 'volume_sma'])
      expect(text).toContain(`"${kind}"`);
    expect(text.length).toBeLessThan(60_000);
  });

  it('accepts a version-1 answer from a model prompted before version 2', () => {
    const v1 = {
      specVersion: 1,
      timeframe: '15m',
      pairs: ['SOL/USDT'],
      entry: { all: [{ op: 'below', left: { kind: 'rsi', period: 14 }, right: 25 }] },
      exit: { all: [{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 75 }] },
      stoploss: -0.04,
    };
    expect(DraftSpecSchema.safeParse(v1).success).toBe(true);
  });
});
