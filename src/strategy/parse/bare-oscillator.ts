// Offline parser, one oscillator named with nothing said about it: "money flow index strat btc daily",
// "stoch 14 3 3 with 20/80 levels". The usual mean-reversion reading, said back: buy in the oversold zone,
// sell in the overbought one (short the other way round when the text shorts).
import type { Series } from '../spec.ts';
import type { GeneralSignals } from './general.ts';
import { ZONES } from './levels.ts';
import { seriesName } from './terms.ts';
import { leftover, mentions, type Scan, takeAll } from './text.ts';

const OTHERS =
  /\b(?:rsi|sma|ema|wma|ma|moving|golden|death|macd|bollinger|bb|atr|adx|obv|vwap|donchian|volume|price|close)\b/;
// "mfi 30 70": two numbers after the name are its levels, not a window and a level; three ("mfi 14 20 80")
// start with the window.
const NOT_TWO_LEVELS = String.raw`(?!\s*[,/ ]\s*[-+]?\d+(?!\s*[,/ ]?\s*[-+]?\d))`;
// "overbought short", "oversold buy": the zone reading itself, no detail.
const DETAIL = /\b(?:above|below|under|over|cross\w*|rising|falling|between)\b|[<>]/;
const READERS: { pattern: RegExp; build: (g: (string | undefined)[]) => Series }[] = [
  {
    pattern: new RegExp(
      String.raw`\b(?:mfi|money\s+flow(?:\s+index)?)(?:\s*\(?\s*(\d+)\s*\)?(?!\s*\/)${NOT_TWO_LEVELS})?`,
      'g',
    ),
    build: (g) => ({ kind: 'mfi', period: Number(g[0] ?? 14) }),
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:cci|commodity\s+channel\s+index)(?:\s*\(?\s*(\d+)\s*\)?(?!\s*\/)${NOT_TWO_LEVELS})?`,
      'g',
    ),
    build: (g) => ({ kind: 'cci', period: Number(g[0] ?? 20) }),
  },
  {
    pattern: /\bstoch(?:astic)?(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?)?/g,
    build: (g) => ({
      kind: 'stochastic',
      k: Number(g[0] ?? 14),
      d: Number(g[2] ?? 3),
      smooth: Number(g[1] ?? 3),
      output: 'k',
    }),
  },
];
const ZONE_LEVEL_LOW = /\boversold\s*(?:at|=|:|level|<)?\s*(-?\d+)\b/g;
const ZONE_LEVEL_HIGH = /\boverbought\s*(?:at|=|:|level|>)?\s*(-?\d+)\b/g;
// "with 20/80 levels", "levels 25 75"
const LEVELS =
  /(?<![\w.+-])(?:with\s+)?(?:levels?\s+)?([-+]?\d+)\s*(?:\/|and|,|\s)\s*([-+]?\d+)(?:\s+levels?)?\b/g;

/** The zone reading of the one oscillator the text names, or undefined when it says more than that. */
export function bareOscillator(scan: Scan, short: boolean): GeneralSignals | undefined {
  if (OTHERS.test(scan.lower) || DETAIL.test(scan.lower)) return undefined;
  const found = READERS.filter((r) => mentions(scan, new RegExp(r.pattern.source)));
  const [reader] = found;
  if (reader === undefined || found.length > 1) return undefined;
  const hits = takeAll(scan, reader.pattern);
  if (hits.length !== 1) return undefined;
  const series = reader.build(hits[0]?.groups ?? []);
  const zone = ZONES[series.kind];
  if (zone === undefined) return undefined;
  // "oversold 20 overbought 80": each level named by its zone.
  const lows = takeAll(scan, ZONE_LEVEL_LOW).map((h) => Number(h.groups[0]));
  const highs = takeAll(scan, ZONE_LEVEL_HIGH).map((h) => Number(h.groups[0]));
  const named = lows.length === 1 && highs.length === 1 ? [[lows[0] ?? 0, highs[0] ?? 0]] : [];
  if (lows.length + highs.length > named.length * 2) return undefined;
  const levels = [...named, ...takeAll(scan, LEVELS).map((h) => [Number(h.groups[0]), Number(h.groups[1])])];
  // "mfi 80 short": 80 may be a level as well as a period; asked about rather than guessed. With the
  // levels given ("mfi 14, 20/80") or the usual window ("mfi 14"), it is the window.
  const period = 'period' in series ? series.period : undefined;
  const usual = period === 14 && series.kind === 'mfi';
  if (period !== undefined && levels.length === 0 && !usual && (period >= zone.high || period <= zone.low))
    return undefined;
  const [low, high] = levels[0] ?? [zone.low, zone.high];
  if (low === undefined || high === undefined || low >= high || levels.length > 1) return undefined;
  // A number left unread that can only be a level ("cci -200 extreme buy", "cci 200"): asked about, never
  // replaced by the usual zone. A small one is a period the pattern didn't take ("stoch 14"), a year a date.
  const said = leftover(scan, /[-+]?\d+(?:\.\d+)?(?![\w.])/);
  const unread = Number(said);
  const year = Number.isInteger(unread) && unread >= 1900 && unread <= 2100;
  if (!year && (unread < 0 || unread >= zone.high)) return undefined;
  // Any other number left unread is a period only right after the name ("stoch 14"); elsewhere ("exit
  // 75", "exit at 20") it is a level this reading would drop: the general reader, or a question.
  const hit = hits[0];
  const afterName =
    hit !== undefined && new RegExp(String.raw`^\s*\(?\s*${said}\b`).test(scan.original.slice(hit.end));
  if (said !== undefined && !year && !afterName) return undefined;
  const buy = { op: 'below' as const, left: series, right: low };
  const sell = { op: 'above' as const, left: series, right: high };
  const name = seriesName(series);
  if (short) {
    scan.assumed.push(`${name} named alone, read as: short above ${high}, cover below ${low}.`);
    return {
      entry: { all: [] },
      exit: { all: [] },
      short: { entry: { all: [sell] }, exit: { all: [buy] } },
      label: series.kind,
    };
  }
  scan.assumed.push(`${name} named alone, read as: buy below ${low}, sell above ${high}.`);
  return { entry: { all: [buy] }, exit: { all: [sell] }, label: series.kind };
}
