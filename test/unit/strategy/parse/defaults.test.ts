// What a request leaves out is filled with a conventional default and said back, one line each, rather
// than asked about; words next to a ticker never become a pair of their own.
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed } from '../../../support/parse.ts';

describe('defaults said back', () => {
  it('makes a strategy of the seed example in one step', () => {
    const { spec, assumptions } = parsed('Create Bitcoin SMA cross strategy');
    expect(spec.pairs).toEqual(['BTC/USDT']);
    expect(conditionsIn(spec.entry)).toEqual([
      {
        op: 'crosses_above',
        left: { kind: 'sma', period: 20, source: 'close' },
        right: { kind: 'sma', period: 50, source: 'close' },
      },
    ]);
    // The opposite cross is the exit.
    expect(conditionsIn(spec.exit).map((c) => c.op)).toEqual(['crosses_below']);
    expect(assumptions).toEqual([
      'No periods given for the moving averages: SMA 20/50.',
      'No exit given: sell when SMA(20) crosses below SMA(50).',
      'No timeframe named: 1h candles.',
      'No stop-loss named: 10%.',
    ]);
  });

  it('takes 50/200 for a golden cross named without periods, and says so', () => {
    const { spec, assumptions } = parsed('ema golden cross on eth 4h, 5% stop');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({
      left: { kind: 'ema', period: 50 },
      right: { kind: 'ema', period: 200 },
    });
    expect(assumptions).toEqual([
      'No periods given for the golden cross: EMA 50/200.',
      'No exit given: sell when EMA(50) crosses below EMA(200).',
    ]);
  });

  it('fills an RSI strategy named without settings with 14 and 30/70', () => {
    const { spec, assumptions } = parsed('an RSI strategy on SOL 15m with a 3% stop');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 70 }]);
    expect(assumptions).toEqual([
      'No RSI levels given: buy below 30 (oversold), sell above 70 (overbought).',
      'No RSI period given: 14 candles.',
    ]);
  });

  it('exits an RSI entry at the mirror level when no exit is named', () => {
    const { spec, assumptions } = parsed('buy btc when rsi(7) is below 25 on 1h, stop 4%');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: { kind: 'rsi', period: 7 }, right: 75 }]);
    expect(assumptions).toEqual(['No exit given: sell when RSI(7) is above 75.']);
  });

  it('keeps a named take-profit as the exit instead of adding one', () => {
    const { spec, assumptions } = parsed('buy btc when rsi below 30 on 1h, take profit 5%, stop 2%');
    expect(conditionsIn(spec.exit)).toEqual([]);
    expect(spec.minimalRoi).toEqual({ '0': 0.05 });
    expect(assumptions).toEqual(['No RSI period given: 14 candles.']);
  });

  it('closes through a default take-profit and the stop when no exit signal is named', () => {
    const { spec, assumptions } = parsed('buy eth when adx above 25 on 4h with a 6% stop');
    expect(conditionsIn(spec.exit)).toEqual([]);
    expect(spec.minimalRoi).toEqual({ '0': 0.05 });
    expect(assumptions).toEqual([
      'No ADX period given: 14 candles.',
      'No exit signal given for closing trades: take profit at 5%, or the stop-loss.',
    ]);
  });

  it.each([
    [
      'buy eth 1h when macd crosses above signal and adx above 25',
      ['No MACD settings given: 12/26/9.', 'No ADX period given: 14 candles.'],
    ],
    [
      'buy eth 1h when cci below -100 and close below the lower bollinger band',
      ['No CCI period given: 20 candles.', 'No Bollinger settings given: 20 candles, 2 deviations.'],
    ],
    [
      'buy eth 1h when stoch k crosses above d and mfi below 20',
      ['No Stochastic settings given: 14/3/3.', 'No MFI period given: 14 candles.'],
    ],
  ])('says back each indicator default the general reader filled in: %j', (text, said) => {
    const { assumptions } = parsed(text);
    for (const line of said) expect(assumptions).toContain(line);
  });

  it('does not say a default back for settings the trader gave', () => {
    const { assumptions } = parsed('buy eth 1h when macd(8,21,5) crosses above signal and rsi 7 below 20');
    expect(assumptions.join(' ')).not.toMatch(/No MACD|No RSI/);
  });

  it('says the pair it chose when none is named', () => {
    expect(parsed('sma 10/30 cross on 4h, stop 3%').assumptions).toContain('No pair named: BTC/USDT.');
  });

  it('says the opposite cross is the exit unless a sell clause names it', () => {
    expect(parsed('sma 10/30 cross on btc 4h, stop 3%').assumptions).toEqual([
      'No exit given: sell when SMA(10) crosses below SMA(30).',
    ]);
    expect(
      parsed('buy btc when sma 10 crosses above sma 30, sell when it crosses below, 4h, stop 3%').assumptions,
    ).toEqual([]);
  });

  it('asks when a comparison with one moving average names no period', () => {
    expect(parseStrategyText('buy when close above the sma, tp 5%').ok).toBe(false);
  });
});

describe('pairs are coins, not words', () => {
  it.each([
    ['buy-eth when rsi below 30', ['ETH/USDT']],
    ['most/eth sma 20/50 cross', ['ETH/USDT']],
    ['sol/btc ema 9/21 cross', ['SOL/BTC']],
    ['LINK/USDT rsi 30/70', ['LINK/USDT']],
  ])('%s trades %j', (text, pairs) => {
    expect(parsed(text).spec.pairs).toEqual(pairs);
  });
});

describe('a higher-timeframe trend named in passing', () => {
  it.each([
    ['ETH EMA 9/21 cross on 1h, only when the daily trend is up', '1d', '1h'],
    ['btc rsi 30/70 on 15m while the 4h is in an uptrend', '4h', '15m'],
  ])('%s filters on the %s close above its EMA 50', (text, higher, own) => {
    const { spec, assumptions } = parsed(text);
    expect(spec.timeframe).toBe(own);
    expect(spec.informative).toEqual({ timeframe: higher });
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: { kind: 'price', field: 'close', timeframe: higher },
      right: { kind: 'ema', period: 50, source: 'close', timeframe: higher },
    });
    expect(assumptions.some((a) => a.includes(`the ${higher} close above the ${higher} EMA(50)`))).toBe(true);
  });
});

describe('short-only strategies', () => {
  it('reads a short with no long side as a futures strategy that only shorts', () => {
    const { spec } = parsed('short eth when rsi above 70 on futures 1h, 3% stop, cover when rsi below 40');
    expect(spec.tradingMode).toBe('futures');
    expect(spec.entry).toEqual({ all: [] });
    expect(spec.short && conditionsIn(spec.short.entry)).toEqual([
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 70 },
    ]);
    expect(spec.short && conditionsIn(spec.short.exit)).toEqual([
      { op: 'below', left: { kind: 'rsi', period: 14 }, right: 40 },
    ]);
  });
});

describe('MACD histogram and zero-line idioms', () => {
  const hist = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'histogram' };
  const line = { ...hist, output: 'line' };
  it.each([
    ['buy btc when macd histogram turns positive', { op: 'crosses_above', left: hist, right: 0 }],
    ['buy eth when the macd histogram flips green', { op: 'crosses_above', left: hist, right: 0 }],
    ['buy when macd crosses above the zero line on sol', { op: 'crosses_above', left: line, right: 0 }],
    ['long when macd is positive and rsi below 60 on btc 1h', { op: 'above', left: line, right: 0 }],
  ])('%s', (text, condition) => {
    expect(conditionsIn(parsed(text).spec.entry)[0]).toEqual(condition);
  });

  it('reads "turns red" on the sell side as the cross below zero', () => {
    const { spec } = parsed('buy eth 4h when the macd histogram flips green, sell when it turns red');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'crosses_below', left: hist, right: 0 }]);
  });
});

describe('Bollinger bands named with nothing else', () => {
  it('reads the usual mean reversion, and says so', () => {
    const { spec, assumptions } = parsed('BB bounce on eth 15m with a 2% stop');
    const band = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: { kind: 'price', field: 'close' }, right: band('lower') },
    ]);
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'above', left: { kind: 'price', field: 'close' }, right: band('upper') },
    ]);
    expect(assumptions[0]).toMatch(/^Bollinger bands read as mean reversion/);
  });

  it('leaves a band the trader names to the general reader', () => {
    const { spec } = parsed('buy eth when close crosses above the upper bollinger band, 3% stop');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({ op: 'crosses_above', right: { output: 'upper' } });
  });
});

describe('volume against its own average', () => {
  const surge = (times: number, period: number) => ({
    op: 'above',
    left: { kind: 'price', field: 'volume' },
    right: { kind: 'volume_sma', period },
    times,
  });
  it.each([
    ['eth ema 9/21 cross on 1h with volume above 1.5x the 30 candle average', surge(1.5, 30)],
    ['sol macd cross with 3 times the average volume', surge(3, 20)],
    ['btc rsi below 30 on a volume spike, 15m', surge(2, 20)],
  ])('%s', (text, condition) => {
    const { spec, assumptions } = parsed(text);
    expect(conditionsIn(spec.entry)).toContainEqual(condition);
    if (condition.right.period === 20) expect(assumptions.join(' ')).toMatch(/20/);
  });
});

describe('highs and lows of the last N candles', () => {
  const channel = (period: number, output: string) => ({ kind: 'donchian', period, output });
  it('reads "breaks the 20 candle high" as a breakout of the channel before this candle, with the mirror exit said back', () => {
    const { spec, assumptions } = parsed('buy eth 4h when price breaks the 20 candle high, 5% stop');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: { kind: 'price', field: 'close' }, right: channel(20, 'upper') },
    ]);
    expect(assumptions).toContain(
      'No exit given: sell on the opposite, when close crosses below Donchian upper(20).',
    );
  });

  it('reads day highs and lows on daily candles without taking them for a timeframe', () => {
    const { spec } = parsed(
      'buy btc when close breaks above the 55 day high on daily, sell when close drops below the 20-day low',
    );
    expect(spec.timeframe).toBe('1d');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({ right: channel(55, 'upper') });
    expect(conditionsIn(spec.exit)[0]).toMatchObject({ right: channel(20, 'lower') });
  });
});

describe('stops in ATR multiples', () => {
  it.each([
    ['stop loss 2 atr below entry, btc ema 20/50 cross', { period: 14, multiplier: 2 }],
    ['eth rsi 30/70 4h with a 1.5x ATR(10) stop', { period: 10, multiplier: 1.5 }],
    ['sol macd cross 1h, atr stop', { period: 14, multiplier: 2 }],
  ])('%s', (text, atrStop) => {
    const { spec, assumptions } = parsed(text);
    expect(spec.atrStop).toEqual(atrStop);
    // The fixed stop stays as the widest the ATR stop may be, and that is said.
    expect(spec.stoploss).toBe(-0.1);
    expect(assumptions).toContain('The ATR stop is never wider than 10%.');
  });
});

describe('filters never make a side of their own', () => {
  it('keeps a short-only strategy short when a downtrend filter is named', () => {
    const { spec } = parsed('short sol when it touches the upper bollinger band and the daily trend is down');
    expect(spec.entry).toEqual({ all: [] });
    expect(spec.short && conditionsIn(spec.short.entry)).toContainEqual({
      op: 'below',
      left: { kind: 'price', field: 'close', timeframe: '1d' },
      right: { kind: 'ema', period: 50, source: 'close', timeframe: '1d' },
    });
  });

  it('mirrors one entry for "long and short" with no exit, and says so', () => {
    const parsed = parseStrategyText('long and short eth when rsi is below 30, 1h, futures');
    if (!parsed.ok) throw new Error(parsed.reason);
    const rsi = { kind: 'rsi', period: 14 };
    expect(parsed.spec).toMatchObject({
      entry: { all: [{ op: 'below', left: rsi, right: 30 }] },
      short: { entry: { all: [{ op: 'above', left: rsi, right: 70 }] }, exit: { all: [] } },
    });
    expect(parsed.assumptions.join(' ')).toMatch(/Both ways: short when RSI\(14\) above 70/);
  });

  it.each([
    // An exit the trader wrote is theirs: both sides must then be described (a band of one oscillator,
    // bought low and sold high, is the exception: titles-and-bare.test.ts).
    'long and short eth when rsi is below 30 and price is above ema 200, sell above 70, 1h, futures',
    // Trend strength says nothing of direction: the mirror is the same entry.
    'long and short eth when adx is above 25, 1h, futures',
  ])('asks when "long and short" cannot be mirrored: %j', (text) => {
    const parsed = parseStrategyText(text);
    expect(parsed.ok ? 'parsed' : parsed.reason).toMatch(/Say when to go long and when to short/);
  });

  it('trades one cross both ways for "long and short on macd crosses", said back', () => {
    const parsed = parseStrategyText('long and short eth on macd crosses, 1h, futures');
    if (!parsed.ok) throw new Error(parsed.reason);
    const line = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'line' };
    const signal = { ...line, output: 'signal' };
    const up = { op: 'crosses_above', left: line, right: signal };
    const down = { op: 'crosses_below', left: line, right: signal };
    expect(parsed.spec).toMatchObject({
      tradingMode: 'futures',
      entry: { all: [up] },
      exit: { all: [down] },
      short: { entry: { all: [down] }, exit: { all: [up] } },
    });
    expect(parsed.spec.minimalRoi).not.toEqual({ '0': 0.05 });
    expect(parsed.assumptions.join(' ')).toMatch(/Both ways/);
  });
});

describe('MACD named with nothing else', () => {
  const macd = (output: string, fast = 12, slow = 26, signal = 9) => ({
    kind: 'macd',
    fast,
    slow,
    signal,
    output,
  });
  it('reads the line crossing its signal, with the settings and the exit said back', () => {
    const { spec, assumptions } = parsed('macd strategy on btc 4h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: macd('line'), right: macd('signal') },
    ]);
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'crosses_below', left: macd('line'), right: macd('signal') },
    ]);
    expect(assumptions).toEqual(
      expect.arrayContaining([
        'No MACD settings given: 12/26/9.',
        'No exit given: sell when the MACD line crosses below its signal.',
      ]),
    );
  });

  it('keeps the settings given, and a take-profit as the exit', () => {
    const { spec } = parsed('macd 8 21 5 on sol 30m, take profit 4%');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({ left: macd('line', 8, 21, 5) });
    expect(conditionsIn(spec.exit)).toEqual([]);
  });

  it('reads "with" as "and": a MACD cross with RSI above 50 never crosses the RSI', () => {
    const { spec } = parsed('macd cross with rsi above 50 on btc');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: macd('line'), right: macd('signal') },
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 50 },
    ]);
  });
});

describe('more chat idioms', () => {
  const hist = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'histogram' };
  const line = { ...hist, output: 'line' };
  it.each([
    ['eth macd zero-line cross up, 2 hour, stop 3%', { op: 'crosses_above', left: line, right: 0 }],
    [
      'buy btc 4h when the macd histogram flips from red to green, 3% stop',
      { op: 'crosses_above', left: hist, right: 0 },
    ],
    ['buy btc 4h on a macd histogram flip, 3% stop', { op: 'crosses_above', left: hist, right: 0 }],
    [
      'short xrp when it loses the 50 sma on the 4h, tp 6%',
      {
        op: 'crosses_below',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'sma', period: 50, source: 'close' },
      },
    ],
  ])('%s', (text, condition) => {
    const { spec } = parsed(text);
    const entry = spec.short ? spec.short.entry : spec.entry;
    expect(conditionsIn(entry)[0]).toEqual(condition);
  });

  it('reads "stop los" and "stpo" as the stop, and says so', () => {
    const { spec, assumptions } = parsed(
      'buy xrp when the 7 ema crosses the 25 ema on the hourly, stop los 2.5%',
    );
    expect(spec.stoploss).toBe(-0.025);
    expect(assumptions).toContain('Read "stop los" as "stop loss".');
  });
});
