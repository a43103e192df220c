// A model's draft held against the trader's words: defaults said back in the parser's words, pairs only
// from the market list and the text.
import { describe, expect, it } from 'vitest';
import { sayBack } from '../../../agents/said-back.ts';
import { parseStrategyText } from '../../../src/strategy/parse/offline-parser.ts';
import type { StrategySpec } from '../../../src/strategy/spec.ts';

const MARKETS = ['BNB/USDT', 'BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT'];

function specOf(text: string): StrategySpec {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.spec;
}

function said(text: string, spec: StrategySpec, modelLines: string[] = []) {
  return sayBack({ text, spec, modelLines, knownPairs: MARKETS });
}

describe('sayBack', () => {
  it('says nothing back when the request states every value', () => {
    const text = 'ETH 4h buy when RSI(14) is below 30, sell above 70, 5% stop';
    expect(said(text, specOf(text))).toEqual({ ok: true, assumptions: [] });
  });

  it('says back every value the request leaves out, whoever filled it', () => {
    const spec = specOf('BTC SMA 20/50 cross on 1h with a 5% stop');
    // The same spec, from a request that states none of it.
    expect(said('simple sma cross', spec)).toEqual({
      ok: true,
      assumptions: [
        'No SMA settings given: SMA(20), SMA(50).',
        'No exit given: sell when SMA(20) crosses below SMA(50).',
        'No pair named: BTC/USDT.',
        'No timeframe named: 1h candles.',
        'No stop-loss named: 5%.',
      ],
    });
  });

  it('says back a take-profit and an ATR stop window the request left out', () => {
    const spec = { ...specOf('ETH 15m buy when the MACD histogram crosses above zero, stop at 2 ATR') };
    const read = said('eth 15m macd histogram zero cross, 2 ATR stop', {
      ...spec,
      minimalRoi: { '0': 0.05 },
    });
    expect(read.ok && read.assumptions).toEqual([
      'No MACD settings given: MACD histogram(12,26,9).',
      'No exit given: sell when MACD histogram(12,26,9) crosses below 0.',
      'No take-profit named: 5% (minimal ROI).',
      'ATR stop over 14 candles.',
    ]);
  });

  it('says back how many candles back a price is when the request gives no number', () => {
    const spec = specOf(
      "BTC 1h buy when close breaks above the previous candle's high, sell when RSI(14) > 70, 5% stop",
    );
    const earlier = (ago: number): StrategySpec => ({
      ...spec,
      entry: {
        all: [
          {
            op: 'crosses_above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'price', field: 'high', ago },
          },
        ],
      },
    });
    const text = 'BTC 1h buy the breakout of the recent high, sell when RSI(14) > 70, 5% stop';
    expect(said(text, earlier(24)).ok && said(text, earlier(24))).toEqual({
      ok: true,
      assumptions: ['No number of candles back given: high 24 candles ago.'],
    });
    // "last" beside no candle word says nothing of how many candles back.
    const last = 'BTC 1h buy above the highs of the last few candles, sell when RSI(14) > 70, 5% stop';
    expect(said(last, earlier(1))).toEqual({
      ok: true,
      assumptions: ['No number of candles back given: high 1 candle ago.'],
    });
    // Said in the text, as a number or as "the previous candle": nothing to say back.
    expect(said(`${text}, 24 candles back`, earlier(24))).toEqual({ ok: true, assumptions: [] });
    expect(
      said("BTC 1h buy above the previous candle's high, sell when RSI(14) > 70, 5% stop", earlier(1)),
    ).toEqual({
      ok: true,
      assumptions: [],
    });
  });

  it("keeps the model's own lines unless they repeat a line above or carry a number of their own", () => {
    const text = 'eth rsi strategy 4h';
    const read = said(text, specOf(text), [
      '"rsi strategy" read as buying the dips.',
      'RSI period assumed to be 14.',
      'Sell at 12% profit.',
    ]);
    expect(read.ok && read.assumptions.at(-1)).toBe('"rsi strategy" read as buying the dips.');
    expect(read.ok && read.assumptions.join(' ')).not.toMatch(/assumed to be|12%/);
  });

  it('asks about a pair the market list lacks', () => {
    const spec = { ...specOf('BTC SMA 20/50 cross on 1h'), pairs: ['MOST/USDT'] };
    expect(said('buy MOST when sma 20 crosses sma 50 on 1h', spec)).toEqual({
      ok: false,
      question: `I don't know the pair MOST/USDT. Which pair should the strategy trade? Available pairs: ${MARKETS.join(', ')}.`,
    });
  });

  it('asks about a coin the request does not name, and defaults only when it names none', () => {
    const spec = specOf('SOL SMA 20/50 cross on 1h');
    expect(said('ETH SMA 20/50 cross on 1h', spec)).toMatchObject({
      ok: false,
      question: expect.stringMatching(/^Your message names ETH, not SOL\/USDT\./),
    });
    // "near" is an English word here, not NEAR; "RSI" and "SMA" in capitals name no coin.
    expect(said('buy near the SMA 20/50 cross on 1h', spec)).toMatchObject({
      ok: true,
      assumptions: expect.arrayContaining(['No pair named: SOL/USDT.']),
    });
    expect(said('SMA 20/50 cross on 1h', { ...spec, pairs: ['SOL/USDT', 'ETH/USDT'] })).toMatchObject({
      ok: false,
    });
    expect(said('bitcoin SMA 20/50 cross on 1h', { ...spec, pairs: ['BTC/USDT'] }).ok).toBe(true);
  });
});
