// Seeded random specs across the whole version-2 language, for property tests and for backtesting many
// strategies through the engine. Deterministic: the same seed gives the same specs on every machine.
// Every spec it returns passes validateSpec (the generator checks and throws otherwise).
import {
  SERIES_KINDS,
  type StrategySpec,
  type Timeframe,
  timeframeMinutes,
  validateSpec,
} from '../../src/strategy/spec.ts';

/** A small deterministic PRNG (mulberry32): enough spread for test inputs, no dependency. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => {
    const value = values[int(0, values.length - 1)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  };
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof createRandom>;

// Series kinds with a level that makes sense to compare against, so random conditions can fire.
const LEVELS: Record<string, readonly [number, number]> = {
  rsi: [20, 80],
  mfi: [20, 80],
  cci: [-150, 150],
  adx: [15, 40],
  stochastic: [20, 80],
  bollinger_percent_b: [0, 1],
  macd: [-5, 5],
};

function series(r: Random, timeframe: Timeframe | undefined): Record<string, unknown> {
  const tf = timeframe === undefined ? {} : { timeframe };
  const period = (min: number, max: number) => r.int(min, max);
  switch (r.pick(SERIES_KINDS)) {
    case 'price':
      return {
        kind: 'price',
        field: r.pick(['open', 'high', 'low', 'close', 'volume']),
        // A price candles before is on the strategy's own candles only.
        ...(r.chance(0.3) && !('timeframe' in tf) ? { ago: r.int(1, 30) } : {}),
        ...tf,
      };
    case 'sma':
    case 'ema':
    case 'wma':
      return {
        kind: r.pick(['sma', 'ema', 'wma']),
        period: period(2, 120),
        source: r.pick(['close', 'close', 'high', 'low', 'open', 'obv']),
        ...tf,
      };
    case 'rsi':
      return { kind: 'rsi', period: period(2, 30), ...tf };
    case 'macd': {
      const fast = period(3, 20);
      return {
        kind: 'macd',
        fast,
        slow: fast + period(2, 30),
        signal: period(2, 15),
        output: r.pick(['line', 'signal', 'histogram']),
        ...tf,
      };
    }
    case 'bollinger':
      return {
        kind: 'bollinger',
        period: period(5, 50),
        stddev: r.pick([1, 1.5, 2, 2.5, 3]),
        output: r.pick(['upper', 'middle', 'lower', 'percent_b', 'width']),
        ...tf,
      };
    case 'stochastic':
      return {
        kind: 'stochastic',
        k: period(5, 21),
        d: period(1, 5),
        smooth: period(1, 5),
        output: r.pick(['k', 'd']),
        ...tf,
      };
    case 'atr':
    case 'cci':
    case 'mfi':
      return { kind: r.pick(['atr', 'cci', 'mfi']), period: period(5, 40), ...tf };
    case 'adx':
      return { kind: 'adx', period: period(5, 30), output: r.pick(['adx', 'plus_di', 'minus_di']), ...tf };
    case 'obv':
      return { kind: 'obv', ...tf };
    case 'vwap':
    case 'volume_sma':
      return { kind: r.pick(['vwap', 'volume_sma']), period: period(5, 100), ...tf };
    case 'donchian':
      return {
        kind: 'donchian',
        period: period(5, 60),
        output: r.pick(['upper', 'middle', 'lower']),
        ...(r.pick([false, false, true]) ? { source: 'obv' as const } : {}),
        ...tf,
      };
  }
}

function levelFor(r: Random, s: Record<string, unknown>): number {
  const key = s.kind === 'bollinger' && s.output === 'percent_b' ? 'bollinger_percent_b' : String(s.kind);
  const [low, high] = LEVELS[key] ?? [0, 100];
  return Math.round((low + r.next() * (high - low)) * 100) / 100;
}

function condition(r: Random, informative: Timeframe | undefined): Record<string, unknown> {
  const tf = () => (informative !== undefined && r.chance(0.3) ? informative : undefined);
  const left = series(r, tf());
  const op = r.pick([
    'crosses_above',
    'crosses_below',
    'above',
    'below',
    'between',
    'rising',
    'falling',
  ] as const);
  if (op === 'between') {
    const a = levelFor(r, left);
    return { op, left, low: a, high: a + Math.max(1, Math.abs(a) * 0.5) };
  }
  if (op === 'rising' || op === 'falling') return { op, left, candles: r.int(1, 10) };
  let right: unknown = r.chance(0.5) ? levelFor(r, left) : series(r, tf());
  if (JSON.stringify(right) === JSON.stringify(left)) right = levelFor(r, left);
  // "volume above twice its average": a factor on a right-hand series.
  if ((op === 'above' || op === 'below') && typeof right !== 'number' && r.chance(0.3)) {
    return { op, left, right, times: r.pick([0.5, 1.5, 2]) };
  }
  // "3 closes in a row above": held over several candles, of the strategy's own timeframe only.
  const own = (x: unknown) =>
    typeof x !== 'object' || x === null || !('timeframe' in x) || x.timeframe === undefined;
  if ((op === 'above' || op === 'below') && own(left) && own(right) && r.chance(0.2))
    return { op, left, right, held: r.int(2, 5) };
  return { op, left, right };
}

function items(r: Random, informative: Timeframe | undefined, min: number): unknown[] {
  return Array.from({ length: r.int(min, 4) }, () =>
    r.chance(0.2)
      ? { [r.pick(['all', 'any'])]: Array.from({ length: r.int(1, 3) }, () => condition(r, informative)) }
      : condition(r, informative),
  );
}

const group = (r: Random, list: unknown[]) => ({ [r.chance(0.75) ? 'all' : 'any']: list });

const PAIRS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT'] as const;
/** Timeframes with sample data, so generated specs can be backtested. */
const DATA_TIMEFRAMES: readonly Timeframe[] = ['5m', '15m', '1h', '4h', '1d'];

/** One random valid spec; about one in five is futures (most of those short too, some short only). `futures: false` keeps it spot. */
function randomSpec(r: Random, opts: { futures?: boolean } = {}): StrategySpec {
  const timeframe = r.pick(DATA_TIMEFRAMES.slice(0, -1));
  const higher = DATA_TIMEFRAMES.filter((t) => timeframeMinutes(t) > timeframeMinutes(timeframe));
  const informative = r.chance(0.3) ? r.pick(higher) : undefined;
  const futures = opts.futures !== false && r.chance(0.2);
  const pairs = [...PAIRS].filter(() => r.chance(0.4));
  // With an informative timeframe, the first entry condition reads it, so it is always used.
  const confirm =
    informative === undefined
      ? []
      : [
          {
            op: 'above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'ema', period: r.int(5, 50), timeframe: informative },
          },
        ];
  const exit = items(r, informative, 0);
  const input: Record<string, unknown> = {
    specVersion: 2,
    timeframe,
    pairs: pairs.length > 0 ? pairs : [r.pick(PAIRS)],
    tradingMode: futures ? 'futures' : 'spot',
    entry:
      confirm.length > 0
        ? { all: [...confirm, ...items(r, informative, 1)] }
        : group(r, items(r, informative, 1)),
    exit: group(r, exit),
    stoploss: -r.pick([0.01, 0.02, 0.05, 0.1, 0.25]),
    // Without exit conditions a take-profit target is needed; otherwise sometimes none.
    minimalRoi:
      exit.length === 0 || r.chance(0.5) ? { '0': r.pick([0.02, 0.05, 0.1]), '60': 0.01 } : { '0': 10 },
  };
  if (informative !== undefined) input.informative = { timeframe: informative };
  if (futures && r.chance(0.7)) {
    input.short = { entry: group(r, items(r, informative, 1)), exit: group(r, items(r, informative, 1)) };
    // Some are short-only: no long side at all.
    if (informative === undefined && r.chance(0.3)) {
      input.entry = { all: [] };
      input.exit = { all: [] };
    }
  }
  if (r.chance(0.4))
    input.trailingStop = r.chance(0.5)
      ? { positive: 0.01, offset: 0.03, onlyOffsetIsReached: r.chance(0.5) }
      : {};
  if (r.chance(0.2))
    input.atrStop = {
      period: r.int(5, 30),
      multiplier: r.pick([1, 1.5, 2, 3]),
      ...(r.chance(0.5) ? { trailing: true } : {}),
    };
  if (r.chance(0.4)) input.maxOpenTrades = r.int(1, 5);
  if (r.chance(0.3)) input.stakeAmount = r.chance(0.5) ? 'unlimited' : r.pick([10, 50, 100]);
  if (r.chance(0.3)) {
    input.protections = r.chance(0.5)
      ? { cooldownCandles: r.int(1, 10) }
      : {
          cooldownCandles: r.int(1, 10),
          stoplossGuard: {
            lookbackCandles: r.int(10, 100),
            tradeLimit: r.int(1, 5),
            stopCandles: r.int(5, 50),
          },
        };
  }
  const checked = validateSpec(input);
  if (!checked.ok)
    throw new Error(
      `spec generator made an invalid spec: ${checked.errors.join('; ')}\n${JSON.stringify(input)}`,
    );
  return checked.spec;
}

/** `count` random valid specs from one seed. */
export function randomSpecs(seed: number, count: number, opts: { futures?: boolean } = {}): StrategySpec[] {
  const r = createRandom(seed);
  return Array.from({ length: count }, () => randomSpec(r, opts));
}
