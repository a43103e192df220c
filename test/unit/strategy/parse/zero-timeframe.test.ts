// A zero count is no candle size: "0m" is not offered back as a timeframe that merely isn't supported.
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';

describe('a timeframe of zero', () => {
  it.each(['BTC SMA 20/50 cross on 0m', 'BTC SMA 20/50 cross on 0 minute candles'])('%s', (text) => {
    const parsed = parseStrategyText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toContain('is no candle size');
    expect(parsed.reason).not.toContain("candles aren't supported");
  });

  it('still reads a real one', () => {
    expect(parseStrategyText('BTC SMA 20/50 cross on 1h').ok).toBe(true);
  });
});
