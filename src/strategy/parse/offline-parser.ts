// Deterministic, offline reading of common strategy phrasings ("BTC SMA 20/50 cross on 1h with a 5% stop").
// Used when no language model is configured and as a cheap first try. It reads risk, money management,
// the higher timeframe, timeframe and pairs first, then the signals: one moving-average cross or one RSI
// band with the compact readers (ma.ts, rsi.ts), anything else with the general reader
// (general.ts). Anything it can't place is refused with a sentence for the trader, never guessed.
// Defaults: BTC/USDT, 1h, a 10% stop-loss, no take-profit unless asked for, and the conventional
// indicator settings (RSI 14, MACD 12/26/9, Bollinger 20/2, ...), which the strategy card shows.
import { isAppError } from '../../errors.ts';
import { describeItem } from '../describe.ts';
import {
  type Condition,
  normalizeStrategyName,
  type SignalGroup,
  type StrategySpec,
  timeframeMinutes,
  validateSpec,
} from '../spec.ts';
import { conditionsIn, seriesIn } from '../spec-walk.ts';
import { bareAdx, bareBands, bareDonchian, bareMacd } from './bare.ts';
import { bareOscillator } from './bare-oscillator.ts';
import {
  bothWays,
  closedByTheOther,
  exits,
  midExit,
  mirroredSide,
  oppositeExit,
  shortOnly,
  theOpposite,
  withConfirmations,
  zonesBothWays,
} from './combine.ts';
import { comboSignals } from './combo.ts';
import { readDirectionWords } from './direction.ts';
import { withoutDistances } from './distance.ts';
import { readRoiTable, readTrailingOffset } from './exits.ts';
import { type GeneralSignals, readGeneral } from './general.ts';
import {
  EXAMPLE,
  readFutures,
  refuseLeftovers,
  refuseShort,
  refuseUnknownCoin,
  refuseUnsupported,
} from './guards.ts';
import { onOneTimeframe, readInformative } from './informative.ts';
import { readMovingAverages } from './ma.ts';
import { readPairs, readTimeframe } from './market.ts';
import { readProtections, readStake } from './money.ts';
import { averagesNamed, NAMED_AVERAGE } from './patterns.ts';
import { refuseNonStrategy } from './requests.ts';
import {
  readAtrStop,
  readMaxOpenTrades,
  readStop,
  readTakeProfit,
  refuseStrayPercent,
  withReward,
} from './risk.ts';
import { readRsi } from './rsi.ts';
import { setStoryAside } from './story.ts';
import { fail, listWords, mentions, numbersWritten, prepare, type Scan } from './text.ts';
import { readVolumeSurge } from './volume.ts';

/** Result of {@link parseStrategyText}: a valid spec and a suggested name, or why the text was not enough. */
type ParsedStrategyText =
  | {
      ok: true;
      spec: StrategySpec;
      name: string;
      /** Each default filled in for something the text left out, one line each, to say back on the card. */
      assumptions: string[];
    }
  | { ok: false; reason: string };

const DEFAULTS = { pair: 'BTC/USDT', timeframe: '1h', stoploss: -0.1, takeProfit: 0.05 } as const;
const MAX_TEXT = 1000;
const BOTH_SIDES =
  /\b(?:both\s+)?(?:long\s*(?:and|&|\/|\+|or|(?=\s))\s*short|short\s*(?:and|&|\/|\+|or)\s*long)(?:\s+both)?\b|\bboth\s+(?:ways?|directions?|sides?)\b/;
const MAX_NAMED_PAIRS = 3;
// "a short strat", "shorting sol", "short it": the trader wants a short side. "the short ema", "short term"
// name a faster average or a horizon, not a side.
const SHORT_WANTED =
  /\b(?:short(?:s|ing)?|go\s+short)\b(?!\s*-?\s*(?:term|period|window|length|lookback|ema|sma|wma|ma\b|moving|average|one|time|while|squeeze))/;
// "the top ten coins": a universe the bot doesn't choose; it trades the pairs named.
const UNIVERSE = /\b(?:top|best|biggest)\s+\d+\s+(?:coins?|pairs?|tokens?|alts?|altcoins?)\b/i;
// So is "every coin you support", "all 5 majors" when no coin is named: the market list is the app's to
// check, not the parser's ("all the majors: btc eth sol" names them).
const ALL_MARKETS =
  /\b(?:every|each|all(?:\s+(?:of\s+)?the)?)\s+(?:\d+\s+)?(?:coins?|pairs?|tokens?|markets?|majors?|alts?|altcoins?)\b/i;

const RSI_WORDS = /\brsi\b|relative\s+strength/;
const MA_WORDS = /\b(?:sma|ema|wma|ma)\b|moving\s+average|\b(?:golden|death)\s*cross/;
const OTHER_WORDS =
  /\b(?:(?:upper|lower|middle)\s+bands?|macd|bollinger|bb|bbands?|stoch\w*|atr|adx|di|cci|mfi|obv|vwap|donchian|volume|average\s+true|money\s+flow|commodity|open|high|low|engulf\w*|(?:prev|previous|prior)\s+(?:candle'?s?\s+|bar'?s?\s+)?close)\b|%\s*[bkd]\b|[+-]\s*di\b|\^[A-J]/;
// Words only the general reader understands: groups, ranges, trends, touches.
const GENERAL_WORDS =
  /\bback\s+(?:to|at)\s+\d|\b(?:or|either|between|rising|falling|increasing|decreasing|touch\w*|breakout|cover\w*|zero|not|never|isn'?t|doesn'?t|bounc\w*|holds?|holding|retest\w*|support|resistance|tap\w*|bands?|both|no\s+longer|out\s+of|leaves?|exits?\s+(?:the\s+)?(?:oversold|overbought)|recover\w*|line|level|in\s+a\s+row|twice)\b|\b(?:at|hits?|hitting|reach(?:es|ing)?)\s+(?:rsi\s+)?\d|\bshort(?:s|ed|ing)?\b(?![\s-]*term)|\([^)]*\b(?:and|or)\b|\bcross(?:es|ed|ing)?\s+\d+(?:\.\d+)?(?![\d.]|\s*(?:[/\d]|,\s*\d|and\s+\d|-?\s*(?:period\s+|day\s+)?(?:sma|ema|wma|ma)\b))|\b(?:buy|sell|long|short|close)\s*[<>]|\bcross(?:es|ed|ing)?\s+back\s+(?:above|over|below|under)\s+\d/;

// "ema 5 above ema 10": one average over another, stated (two of them are a stack, not one cross).
const STACKED = new RegExp(
  String.raw`\b${NAMED_AVERAGE}\s{0,3}(?:is\s+)?(?:above|over|below|under|[<>])\s{0,3}(?:the\s+)?${NAMED_AVERAGE}`,
  'g',
);

function useCompact(scan: Scan): 'rsi' | 'ma' | undefined {
  const rsi = mentions(scan, RSI_WORDS);
  const ma = mentions(scan, MA_WORDS);
  if (rsi === ma || mentions(scan, OTHER_WORDS)) return undefined;
  // "rsi below 30 and close above open": a price comparison next to RSI needs the general reader; so does
  // a close compared with a line ("the candle closes above the 50 ema").
  if (mentions(scan, /\b(?:price|close)\s*(?:is\s+)?(?:above|over|below|under|cross\w*|[<>])/))
    return undefined;
  if (
    mentions(
      scan,
      /\b(?:close[sd]?|closing|it\s+close[sd]?)\s+(?:back\s+|firmly\s+)?(?:above|over|below|under)\b/,
    )
  )
    return undefined;
  if (GENERAL_WORDS.test(scan.lower) || withoutDistances(scan.lower) !== scan.lower) return undefined;
  // "ema 5 above ema 10 and ema 10 above ema 20": averages stacked, not one cross.
  const stacked = scan.lower.match(STACKED);
  if ((stacked?.length ?? 0) >= 2) return undefined;
  // Three averages or more ("the 8 ema crosses the 13 ema and the 13 is above the 21"): no single cross.
  const periods = new Set(averagesNamed(scan.lower).map((a) => a.period));
  if (periods.size >= 3 && / and /.test(scan.lower)) return undefined;
  return rsi ? 'rsi' : 'ma';
}

function readSignals(scan: Scan, found: string[], volume: Condition[]): GeneralSignals {
  const bands = bareBands(scan);
  if (bands) {
    refuseUnknownCoin(scan);
    return bands;
  }
  // "bb + rsi mean reversion": several indicators named with no rule for any, each its usual reading.
  if (!/\bshort/.test(scan.lower)) {
    const combo = comboSignals(scan);
    if (combo) {
      refuseUnknownCoin(scan);
      return combo;
    }
  }
  const compact = useCompact(scan);
  if (compact !== undefined) {
    const signals = compact === 'rsi' ? readRsi(scan) : readMovingAverages(scan);
    refuseLeftovers(scan, signals);
    return {
      entry: { all: signals.entry },
      exit: { all: signals.exit },
      label: signals.label,
      ...(signals.usualExit
        ? { usualExit: { exit: { all: signals.usualExit.exit }, assumed: signals.usualExit.assumed } }
        : {}),
    };
  }
  const zone = mentions(scan, /\b(?:oversold|overbought)\b/);
  // "price up 2%", "3% below the 20 sma": the general reader reads these.
  const distance = withoutDistances(scan.lower) !== scan.lower;
  if (
    !zone &&
    !distance &&
    !mentions(scan, RSI_WORDS) &&
    !mentions(scan, MA_WORDS) &&
    !mentions(scan, OTHER_WORDS)
  ) {
    // Volume against its average, named alone, is the whole entry; a condition on the price beside it
    // that nothing read ("the close is the highest close of the last 20 bars") is asked about, never dropped.
    const price =
      volume.length > 0
        ? mentions(scan, /\b(?:highest|lowest|closes?|closed|closing|price|green|red|candles?)\b/)
        : false;
    if (price) {
      fail(
        `I read the volume condition but not what the price should do; say it with a line, for example: close above the 20-candle high and volume above its 20-candle average.`,
      );
    }
    if (volume.length > 0) return { entry: { all: volume }, exit: { all: [] }, label: 'volume' };
    const lead =
      found.length > 0
        ? `I found ${listWords(found)}, but no indicator.`
        : "I couldn't find an indicator in that.";
    fail(`${lead} Name one, for example: ${EXAMPLE}, or: buy when RSI is below 30 and sell above 70.`);
  }
  refuseUnknownCoin(scan);
  // "macd 8 21 5 on sol", "a macd strategy": MACD named alone, without even a cross, is its usual cross
  // and its usual exit when no take-profit is given. (The general reader reads "macd cross" itself, and
  // MACD beside other conditions as the cross too.)
  const macdAlone = /\bcross/.test(scan.lower) ? undefined : bareMacd(scan);
  if (macdAlone !== undefined) return macdAlone;
  const before = { lower: scan.lower, assumed: scan.assumed.length };
  try {
    return readGeneral(scan);
  } catch (err) {
    // An oscillator, a Donchian channel or ADX named with nothing the general reader could place.
    if (!isAppError(err) || err.code !== 'PARSE_FAILED') throw err;
    scan.lower = before.lower;
    scan.assumed.length = before.assumed;
    const short = /\bshort/.test(scan.lower);
    const bare = bareOscillator(scan, short) ?? (short ? undefined : (bareDonchian(scan) ?? bareAdx(scan)));
    if (bare === undefined) throw err;
    return bare;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const BAND_ORDER: Record<string, number> = { lower: 0, middle: 1, upper: 2 };

/**
 * Two conditions of one all-group that can't hold on the same candle: one series below a level and above a
 * higher one, below a lower band and above the upper one of the same bands, crossing a line both ways, or
 * under a line (scaled or not) and over it scaled at least as much.
 * A misplaced action ("lower band buy upper band sell") reads that way; asked about, never built.
 */
function contradiction(group: SignalGroup): [Condition, Condition] | undefined {
  if (!('all' in group)) return undefined;
  const conditions = group.all.filter((c): c is Condition => 'op' in c);
  for (const a of conditions)
    for (const b of conditions) {
      if (a === b || !same(a.left, b.left) || !('right' in a) || !('right' in b)) continue;
      if (a.op === 'below' && b.op === 'above') {
        if (typeof a.right === 'number' && typeof b.right === 'number' && b.right >= a.right) return [a, b];
        const [ra, rb] = [a.right, b.right];
        if (
          typeof ra !== 'number' &&
          typeof rb !== 'number' &&
          ra.kind === rb.kind &&
          'output' in ra &&
          'output' in rb &&
          same({ ...ra, output: '' }, { ...rb, output: '' }) &&
          (BAND_ORDER[String(rb.output)] ?? -1) >= (BAND_ORDER[String(ra.output)] ?? 9)
        )
          return [a, b];
      }
      if (a.op === 'crosses_above' && b.op === 'crosses_below' && same(a.right, b.right)) return [a, b];
      // Under k1 x a line and over k2 x the same line (a cross counts as being on its far side now):
      // "dips 2% below the ema and closes above it" can't be one candle when k2 >= k1.
      const under = a.op === 'below' || a.op === 'crosses_below';
      const over = b.op === 'above' || b.op === 'crosses_above';
      if (under && over && typeof a.right !== 'number' && same(a.right, b.right) && scale(b) >= scale(a))
        return [a, b];
    }
  return undefined;
}

/** The factor a condition puts on its line ("close below 0.97 x EMA(20)"), 1 when none. */
const scale = (c: Condition): number => ('times' in c && typeof c.times === 'number' ? c.times : 1);

function suggestName(pairs: readonly string[], label: string, timeframe: string): string {
  const bases = pairs.length > MAX_NAMED_PAIRS ? ['multi'] : pairs.map((p) => p.split('/')[0] ?? p);
  return normalizeStrategyName([...bases, label, timeframe].join('-'));
}

function parse(text: string): { spec: StrategySpec; name: string; assumptions: string[] } {
  refuseNonStrategy(text, MAX_TEXT);
  const scan = prepare(text);
  setStoryAside(scan);
  // "btc.d rsi strategy", "usdt dominance": an index of the market, not a pair to trade.
  const dominance = /\b(?:btc|bitcoin|eth|usdt|usdc|total)\s*\.\s*d\b|\bdominance\b/.exec(scan.lower);
  if (dominance)
    fail(
      `"${dominance[0]}" is a market index: I can neither trade it nor read it in a condition. Name a coin and what to watch on it, for example: BTC RSI 30/70 on 1h.`,
    );
  if (UNIVERSE.test(scan.lower)) {
    fail('I trade the pairs you name, up to 20; name them, for example: BTC, ETH and SOL.');
  }
  // "more than 200 above ema 50": a distance in price units, which the spec doesn't have.
  const distance =
    /\b(?:more|less|further|farther)\s+than\s+(\d+(?:\.\d+)?)\s+(?:points?\s+|dollars?\s+|usd\s+|\$\s*)?(?:above|below|over|under|from)\b/.exec(
      scan.lower,
    );
  if (distance)
    fail(
      `I can't read a distance of ${distance[1]} in price units; give it as a percentage, for example: close 2% above EMA 50.`,
    );
  const sides = readDirectionWords(scan);
  refuseShort(scan);
  const protections = readProtections(scan);
  const trailingOffset = readTrailingOffset(scan);
  const roiTable = readRoiTable(scan);
  const atrStop = readAtrStop(scan);
  const stop = readStop(scan);
  const takeProfit = withReward(readTakeProfit(scan), stop?.percent, scan);
  const maxOpenTrades = readMaxOpenTrades(scan);
  const stakeAmount = readStake(scan);
  const volume = readVolumeSurge(scan);
  refuseStrayPercent(scan);
  const informative = readInformative(scan);
  const timeframe = readTimeframe(scan);
  const futures = readFutures(scan);
  scan.dayCandles = Math.round(1440 / timeframeMinutes(timeframe ?? DEFAULTS.timeframe));
  const pairs = readPairs(scan);
  if (!pairs && ALL_MARKETS.test(scan.original)) {
    fail('I trade the pairs you name, up to 20; name them, for example: BTC, ETH and SOL.');
  }
  refuseUnsupported(scan);
  const found = [
    ...(pairs ?? []),
    ...(timeframe ? [timeframe] : []),
    ...(stop ? [`a ${stop.percent}% stop`] : []),
  ];
  // "long and short": a direction for the whole strategy, not a short entry at that spot.
  const bothSides = BOTH_SIDES.test(scan.lower);
  scan.lower = scan.lower.replace(new RegExp(BOTH_SIDES.source, 'g'), (phrase) => ' '.repeat(phrase.length));
  const read = readSignals(scan, found, volume);
  // "a short-only bot ... enter when ..., exit when ...": with no buy or long said, enter and exit are
  // the short side's.
  // "a short strat on btc perps ... when volume spikes", "a short-only bot ... enter when ...": with no buy
  // or long said, the conditions read are the short side's.
  const readAsShort =
    (sides.noLongs || (SHORT_WANTED.test(scan.original.toLowerCase()) && !sides.noShorts && !bothSides)) &&
    !(read.short && exits(read.short.entry)) &&
    exits(read.entry) &&
    !/\b(?:buy|buying|long|longs|go\s+long)\b/.test(
      scan.original.toLowerCase().replace(/\bshort[\s-]*only\b|\bno\s+longs?\b/g, ' '),
    );
  if (readAsShort) scan.assumed.push('Short only: the conditions read as when to short, and to cover.');
  const sided = readAsShort
    ? {
        ...read,
        entry: { all: [] },
        exit: { all: [] },
        short: { entry: read.entry, exit: exits(read.exit) ? read.exit : (read.short?.exit ?? { all: [] }) },
      }
    : read;
  if (sides.noLongs && exits(sided.entry))
    fail('You said no longs, but the text also says when to buy; which side should it trade?');
  if (sides.noShorts && sided.short)
    fail('You said long only, but the text also says when to short; which side should it trade?');
  // Volume named alone is the whole entry already.
  let signals = withConfirmations(
    sided,
    informative?.conditions ?? [],
    sided.label === 'volume' ? [] : volume,
  );
  // "long and short eth on macd crosses": long on the cross up, short on the cross down, said back.
  if (bothSides && !(exits(signals.entry) && signals.short && exits(signals.short.entry)))
    signals = mirroredSide(zonesBothWays(bothWays(signals, scan), scan), scan);
  signals = oppositeExit(theOpposite(signals, scan), scan);
  // With a take-profit named, the trader has said how trades close.
  signals = midExit(shortOnly(signals, scan, bothSides), scan);
  // After "exit mid" and the rest: only exits nothing else gave.
  if (takeProfit === undefined && roiTable === undefined) signals = closedByTheOther(signals, scan);
  let minimalRoi = roiTable ?? (takeProfit === undefined ? undefined : { '0': takeProfit });
  const trailingStop = trailingOffset ?? (stop?.trailing ? {} : undefined);
  // An ATR stop that trails locks in profit as a trailing stop does: no take-profit is needed beside it.
  const trails = trailingStop !== undefined || atrStop?.trailing === true;
  // A short-only strategy has no long side to close.
  const longSide = exits(signals.entry) || signals.short === undefined;
  const noExit =
    (longSide && !exits(signals.exit)) || (signals.short !== undefined && !exits(signals.short.exit));
  if (noExit && minimalRoi === undefined && !trails && signals.usualExit && !signals.short) {
    scan.assumed.push(signals.usualExit.assumed);
    signals = { ...signals, exit: signals.usualExit.exit };
  } else if (noExit && minimalRoi === undefined && !trails) {
    // Freqtrade strategies often close through ROI and the stop alone: the usual reading of a request
    // that names only an entry, said back so the trader can change it.
    minimalRoi = { '0': DEFAULTS.takeProfit };
    const which = signals.short && exits(signals.exit) ? 'for the short side' : 'for closing trades';
    scan.assumed.push(
      `No exit signal given ${which}: take profit at ${DEFAULTS.takeProfit * 100}%, or the stop-loss.`,
    );
  }
  // "mid exit", "exit at mid" that no reader placed: asked, never dropped.
  if (
    /\bmid(?:dle)?(?:\s+(?:band|line))?\s+exit\b|\b(?:exit|sell|out|cover)\s+(?:at\s+|on\s+)?(?:the\s+)?(?:bb\s+)?mid(?:dle)?\b(?!\s*-?\s*(?:day|trade|range|point|session))/.test(
      scan.original.toLowerCase(),
    ) &&
    !exits(signals.exit) &&
    !(signals.short && exits(signals.short.exit))
  )
    fail(
      'Which middle should it exit at? Say for example: sell when the close crosses below the middle Bollinger band.',
    );
  if (!pairs) scan.assumed.push(`No pair named: ${DEFAULTS.pair}.`);
  if (!timeframe) scan.assumed.push(`No timeframe named: ${DEFAULTS.timeframe} candles.`);
  if (!stop && atrStop) scan.assumed.push(`The ATR stop is never wider than ${-DEFAULTS.stoploss * 100}%.`);
  else if (!stop) scan.assumed.push(`No stop-loss named: ${-DEFAULTS.stoploss * 100}%.`);
  // "long and short": both sides or a question, never one side only.
  if (bothSides && (!signals.short || !exits(signals.short.entry) || !exits(signals.entry))) {
    fail(
      'Say when to go long and when to short, for example: buy when RSI is below 30, sell above 70, short when RSI is above 70, cover below 30, on futures.',
    );
  }
  // A short side with no entry (the word "short" marked it, nothing said when) is no short side.
  if (signals.short && !exits(signals.short.entry)) {
    const { short: _empty, ...rest } = signals;
    signals = rest;
  }
  // A short side asked for but not read: a question, never a long-only strategy in its place.
  if (!signals.short && !sides.noShorts && SHORT_WANTED.test(scan.original.toLowerCase())) {
    fail(
      'I read no short side in that; say when to short and when to cover, for example: short when RSI is above 70, cover below 30, on futures.',
    );
  }
  signals = onOneTimeframe(signals, scan);
  for (const [what, group] of [
    ['entry', signals.entry],
    ['exit', signals.exit],
    ['short entry', signals.short?.entry],
    ['cover', signals.short?.exit],
  ] as const) {
    const clash = group && contradiction(group);
    if (clash)
      fail(
        `The ${what} asks for "${describeItem(clash[0])}" and "${describeItem(clash[1])}" on the same candle, which never happens; say which one buys and which one sells, for example: buy when RSI is below 30, sell when RSI is above 70.`,
      );
  }
  // "price above daily sma 200 and 4h rsi crosses up 30 on 1h": two higher timeframes; the spec has one.
  const higher = new Set(
    [signals.entry, signals.exit, signals.short?.entry, signals.short?.exit]
      .flatMap((g) => (g === undefined ? [] : conditionsIn(g)))
      .flatMap(seriesIn)
      .flatMap((series) => ('timeframe' in series && series.timeframe ? [series.timeframe] : [])),
  );
  if (informative?.timeframe) higher.add(informative.timeframe);
  if (higher.size > 1)
    fail(
      `I can read one higher timeframe beside the strategy's own, and found ${listWords([...higher])}; which one should the filter use?`,
    );
  const checked = validateSpec({
    specVersion: 2,
    timeframe: timeframe ?? DEFAULTS.timeframe,
    pairs: pairs ?? [DEFAULTS.pair],
    ...(futures || signals.short || scan.leveraged ? { tradingMode: 'futures' } : {}),
    ...(informative?.timeframe ? { informative: { timeframe: informative.timeframe } } : {}),
    entry: signals.entry,
    exit: signals.exit,
    ...(signals.short ? { short: signals.short } : {}),
    stoploss: stop?.stoploss ?? DEFAULTS.stoploss,
    ...(minimalRoi === undefined ? {} : { minimalRoi }),
    ...(trailingStop === undefined ? {} : { trailingStop }),
    ...(maxOpenTrades === undefined ? {} : { maxOpenTrades }),
    ...(atrStop === undefined ? {} : { atrStop }),
    ...(stakeAmount === undefined ? {} : { stakeAmount }),
    ...(protections === undefined ? {} : { protections }),
  });
  if (!checked.ok) return fail(`That strategy isn't valid: ${checked.errors.join('; ')}.`);
  const spec = checked.spec;
  const label = signals.short ? `${signals.label}-short` : signals.label;
  return {
    spec,
    name: suggestName(spec.pairs, label, spec.timeframe),
    assumptions: [...new Set(scan.assumed)],
  };
}

/**
 * Reads a strategy from plain words without a language model. Deterministic: the same text always gives
 * the same spec and name. Failure reasons are sentences meant for the trader.
 */
/** A number the sentence quotes ("12") as the trader wrote it ("twelve"), when they wrote it in words. */
function quotedAsWritten(reason: string, text: string): string {
  const written = numbersWritten(text);
  return reason.replace(/"(\d+)"/g, (quoted, digits: string) => {
    const words = written.get(digits);
    return words && !new RegExp(String.raw`(?<![\d.])${digits}(?![\d.])`).test(text) ? `"${words}"` : quoted;
  });
}

export function parseStrategyText(text: string): ParsedStrategyText {
  try {
    return { ok: true, ...parse(text) };
  } catch (err) {
    if (isAppError(err) && err.code === 'PARSE_FAILED')
      return { ok: false, reason: quotedAsWritten(err.userMessage, text) };
    throw err;
  }
}
