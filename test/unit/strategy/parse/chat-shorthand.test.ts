// Readings added for how traders write in chat: half-hour candles, a horizon ("short-term") that is no
// side, a question the trader answers themself ("keltner isn't supported right? then bollinger ..."),
// Freqtrade's ratios for stops and ROI ("stop 0.02", "roi of 0.1"), numbers in words ("twenty five
// percent"), a slash list of coins, "ema 12 26 cross", "14 period" said apart, the stochastic's "both
// lines", and "every coin you support" asked about rather than read as BTC.
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';

function parsed(text: string) {
  const result = parseStrategyText(text);
  if (!result.ok) throw new Error(`refused "${text}": ${result.reason}`);
  return result;
}

function refused(text: string): string {
  const result = parseStrategyText(text);
  if (result.ok) throw new Error(`read "${text}" as ${JSON.stringify(result.spec)}`);
  return result.reason;
}

const rsi = (period: number) => ({ kind: 'rsi', period });

describe('candle sizes and horizons', () => {
  it('reads half-hour and quarter-hour candles as 30m and 15m, never 1h', () => {
    expect(parsed('rsi(14) < 20 long, rsi > 80 short, eth perps, half hour candles').spec.timeframe).toBe(
      '30m',
    );
    expect(parsed('btc sma 20/50 on the half-hour chart').spec.timeframe).toBe('30m');
    expect(parsed('btc sma 20/50 on quarter hour candles').spec.timeframe).toBe('15m');
  });

  it('keeps a half-hour chart one timeframe beside a daily filter', () => {
    const { spec } = parsed('btc rsi 30/70 on half hour candles with the daily trend up');
    expect(spec.timeframe).toBe('30m');
    expect(spec.informative?.timeframe).toBe('1d');
  });

  it('reads "short-term" as a horizon: the sell after it stays the exit', () => {
    const { spec } = parsed(
      'short-term mean reversion on btc 5m using rsi(3), buy < 15, sell > 85, max 4 trades',
    );
    expect(spec.short).toBeUndefined();
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: rsi(3), right: 15 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: rsi(3), right: 85 }]);
  });
});

describe('a question the trader answers themself', () => {
  it('builds what they settle on', () => {
    const cases: [string, string][] = [
      ['can the bot do heikin ashi? if not just do an ema 10/30 cross on bnb 4h', 'ema'],
      ["keltner isn't supported right? then bollinger 20 1.5 breakout on btc 30m", 'bollinger'],
      ['wma 9 crosses hma... ok no hma? then wma 9 / wma 21 on btc 5m', 'wma'],
    ];
    for (const [text, kind] of cases) {
      const { spec } = parsed(text);
      expect(JSON.stringify(conditionsIn(spec.entry)), text).toContain(`"kind":"${kind}"`);
    }
  });

  it('still answers a question with no answer after it as a question', () => {
    expect(refused('is sol going to pump this week? 👀')).toMatch(/question rather than a strategy/);
    expect(refused('what is better, rsi or macd? no idea')).toMatch(/./);
  });
});

describe('stops and targets as Freqtrade writes them', () => {
  it('reads a stop under 0.1 with no % as a ratio, said back', () => {
    const { spec, assumptions } = parsed(
      'I trade XRP perps. short when the stochastic is above 80 and crosses down, cover at 20. hourly. stop 0.02',
    );
    expect(spec.stoploss).toBe(-0.02);
    expect(assumptions).toContain('Stop-loss "0.02" read as a ratio: 2%.');
  });

  it('reads "roi of 0.1" as 10%, and a stop with its % as written', () => {
    const { spec } = parsed('eth 4h sma 20/50 cross, stop-loss of 0.05 and roi of 0.1? thanks');
    expect(spec.stoploss).toBe(-0.05);
    expect(spec.minimalRoi).toEqual({ '0': 0.1 });
    expect(parsed('btc sma 20/50 sl 1.5 tp 3').spec.stoploss).toBe(-0.015);
  });

  it('reads numbers in words as spoken: "twenty five percent" is 25', () => {
    const { spec } = parsed('donchian 30 breakout for btc on 6h, take profit at twenty five percent');
    expect(spec.minimalRoi).toEqual({ '0': 0.25 });
  });
});

describe('pairs and periods written in shorthand', () => {
  it('reads coins joined by slashes as a list', () => {
    const { spec } = parsed('btc/eth/sol/bnb/xrp basket, rsi 30/70, 4h, max open trades five');
    expect(spec.pairs).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT']);
    expect(spec.maxOpenTrades).toBe(5);
    expect(parsed('btc/usdt and eth/usdt sma 20/50').spec.pairs).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('asks which pairs for "every coin you support", and reads "all the majors" when they are named', () => {
    expect(refused('ema cross on every coin you support, 15m, max 5 open trades, stoploss 10%')).toMatch(
      /I trade the pairs you name/,
    );
    expect(parsed('macd on all the majors - btc eth sol bnb xrp, 4h').spec.pairs).toHaveLength(5);
  });

  it('reads "ema 12 26 cross" as EMA 12/26', () => {
    const { spec } = parsed('ema 12 26 cross + macd above zero, xrp 6h, ROI 10%');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({
      op: 'crosses_above',
      left: { kind: 'ema', period: 12 },
      right: { kind: 'ema', period: 26 },
    });
  });

  it('reads "mfi strategy, 14 period, 20/80 levels" as MFI 14 with those levels', () => {
    const { spec } = parsed('mfi strategy, 14 period, 20/80 levels, eth on the 2 hour. thx in advance');
    const mfi = { kind: 'mfi', period: 14 };
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: mfi, right: 20 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: mfi, right: 80 }]);
  });

  it('reads the stochastic\'s "both lines under 20" as %K and %D, and the cross up after it as %K over %D', () => {
    const { spec } = parsed(
      'stoch rsi? nah just regular stochastic 14 3 3 on btc 1h. buy when both lines are under 20 and cross up, exit above 80',
    );
    const line = (output: 'k' | 'd') => ({ kind: 'stochastic', k: 14, d: 3, smooth: 3, output });
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: line('d'), right: 20 },
      { op: 'below', left: line('k'), right: 20 },
      { op: 'crosses_above', left: line('k'), right: line('d') },
    ]);
  });
});
