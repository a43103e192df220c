// Offline parser, term rules for prices and averages: price fields ("price", "close", "volume"), moving
// averages ("ema 200", "the 50 sma", "20-day wma", "exponential moving average 21"), the volume average
// ("its 20-period average", "volume ma 20") and rolling VWAP ("vwap 24"). An average without a period is
// refused: no period is conventional for them.

import type { Series } from '../spec.ts';
import { NAMED_AVERAGE } from './patterns.ts';
import { type TermContext, type TermRule, UNIT } from './terms.ts';
import { fail } from './text.ts';

type AverageKind = 'sma' | 'ema' | 'wma';

function kindOf(word: string | undefined): AverageKind {
  if (word === 'ema' || word === 'exponential') return 'ema';
  if (word === 'wma' || word === 'weighted') return 'wma';
  return 'sma';
}

function average(word: string | undefined, period: string | undefined): Series {
  return { kind: kindOf(word), period: Number(period), source: 'close' };
}

const MA = '(sma|ema|wma|ma)';
const LONG_MA = String.raw`(?:(simple|exponential|weighted)\s+)?moving\s+average`;
const AVG = String.raw`(?:average|avg|ma|sma|mean|moving\s+average)`;
/** An average named with its period anywhere: "ema 21", "the 50 sma", "20-day ma". */
const PERIOD_NAMED = new RegExp(String.raw`\b${NAMED_AVERAGE}`);

function volumeAverage(period: string | undefined): Series {
  return { kind: 'volume_sma', period: Number(period) };
}

function price(field: string | undefined): Series {
  const name =
    field === 'open' || field === 'high' || field === 'low' || field === 'volume' ? field : 'close';
  return { kind: 'price', field: name };
}

const VOLUME_PERIOD = 20;

// Distinct averages named so far, of one kind or of any.
function namedAverages(ctx: TermContext, kind: AverageKind | undefined): Series[] {
  const seen = new Map<string, Series>();
  for (const a of ctx.averages ?? [])
    if (kind === undefined || a.kind === kind) seen.set(JSON.stringify(a), a);
  return [...seen.values()];
}

function periodOf(series: Series): number {
  return 'period' in series ? series.period : 0;
}

// The faster of the last two averages named, with the slower as the line its cross means.
function pairOf(ctx: TermContext, word: string | undefined): Series {
  const named = namedAverages(ctx, word === undefined ? undefined : kindOf(word));
  const [a, b] = named.slice(-2);
  if (a === undefined || b === undefined) {
    return fail(
      'Which two moving averages do you mean? Name them, for example: sell when EMA 9 crosses below EMA 21.',
    );
  }
  const [fast, slow] = periodOf(a) <= periodOf(b) ? [a, b] : [b, a];
  const line = { ...fast };
  ctx.partners = ctx.partners ?? new WeakMap();
  ctx.partners.set(line, slow);
  return line;
}

/** Rules in order: volume averages before "volume" and before plain moving averages. */
export const AVERAGE_RULES: readonly TermRule[] = [
  // "volume ma 20", "volume sma(20)", "volume average 20", "20-period volume average", "average volume 20"
  {
    pattern: new RegExp(String.raw`\bvolume\s+${AVG}\s*\(?\s*(\d+)\s*\)?`, 'g'),
    build: (g) => volumeAverage(g[0]),
  },
  {
    pattern: new RegExp(
      String.raw`(?<![@\w])(\d+)${UNIT}\s+(?:volume\s+${AVG}|${AVG}\s+(?:of\s+)?volume)\b`,
      'g',
    ),
    build: (g) => volumeAverage(g[0]),
  },
  {
    pattern: /\baverage\s+volume\s*\(?\s*(\d+)\s*\)?/g,
    build: (g) => volumeAverage(g[0]),
  },
  // "volume above its 20-period average", "volume over the 20 candle average"
  {
    pattern: new RegExp(String.raw`(?<=\bvolume\b.*)\b(?:its|the)\s+(\d+)${UNIT}\s+${AVG}\b`, 'g'),
    build: (g) => volumeAverage(g[0]),
  },
  // "vwap 24", "vwap(48)", "24-candle vwap"
  { pattern: /\bvwap\s*\(?\s*(\d+)\s*\)?/g, build: (g) => ({ kind: 'vwap', period: Number(g[0]) }) },
  {
    pattern: new RegExp(String.raw`(?<![@\w])(\d+)${UNIT}\s+vwap\b`, 'g'),
    build: (g) => ({ kind: 'vwap', period: Number(g[0]) }),
  },
  {
    pattern: /\bvwap\b/g,
    // Crypto has no session: a day of candles is the usual window, said back.
    build: (_g, ctx) => {
      const day = ctx.scan?.dayCandles;
      if (day === undefined)
        return fail('Which window should VWAP use? There is no session in crypto; say for example: vwap 24.');
      const period = Math.min(500, Math.max(2, day));
      ctx.scan?.assumed.push(`No VWAP window given: ${period} candles${period === day ? ' (one day)' : ''}.`);
      return { kind: 'vwap', period };
    },
  },
  // "ema 200", "sma(50)", "ema200", "the 200 ema", "20-day sma", "exponential moving average 21"
  {
    pattern: new RegExp(String.raw`\b${MA}\s*\(?\s*(\d+)(?!\d)\s*\)?(?!\s*/)`, 'g'),
    build: (g) => average(g[0], g[1]),
  },
  {
    pattern: new RegExp(String.raw`(?<![@\w])(\d+)${UNIT}\s*-?\s*${MA}\b`, 'g'),
    build: (g) => average(g[1], g[0]),
  },
  {
    pattern: new RegExp(String.raw`\b${LONG_MA}\s*\(?\s*(\d+)\s*\)?`, 'g'),
    build: (g) => average(g[0], g[1]),
  },
  {
    pattern: new RegExp(String.raw`(?<![@\w])(\d+)${UNIT}\s+${LONG_MA}\b`, 'g'),
    build: (g) => average(g[1], g[0]),
  },
  // "volume above average", "volume is above its average": the volume average, 20 candles.
  {
    pattern: /(?<=\bvolume\b[^,;.]*)\b(?:its\s+|the\s+)?(?:average|avg|normal|usual)(?:\s+volume)?\b/g,
    build: (_g, ctx) => {
      ctx.scan?.assumed.push(`Volume average over ${VOLUME_PERIOD} candles.`);
      return volumeAverage(String(VOLUME_PERIOD));
    },
  },
  // "the emas cross back down", "both averages": the two averages named before.
  {
    pattern: /\b(?:the\s+|both\s+)?(?:(ema|sma|wma)s|mas|moving\s+averages|averages)\b/g,
    build: (g, ctx) => pairOf(ctx, g[0]),
  },
  // "the fast ema", "the slower sma": of the last two averages named, the shorter or the longer; with none
  // named, the usual 20/50 pair, said back.
  {
    pattern: new RegExp(
      String.raw`\b(?:the\s+)?(fast|slow)(?:er)?\s+(?:${MA}|${LONG_MA})\b(?!\s*\(?\s*\d)`,
      'g',
    ),
    build: (g, ctx) => {
      const word = g[1] ?? g[2];
      const kind = word === 'ma' || word === undefined ? undefined : kindOf(word);
      let named = namedAverages(ctx, kind);
      // The usual pair only when the text names no average's period anywhere: "ema 21 and ema 9, ...
      // the fast ema above the slow ema" means those two, wherever the reading placed them.
      if (named.length === 0 && !PERIOD_NAMED.test(ctx.scan?.original.toLowerCase() ?? ctx.text ?? '')) {
        const [fast, slow] = [average(word, '20'), average(word, '50')];
        ctx.averages = [...(ctx.averages ?? []), fast, slow];
        ctx.scan?.assumed.push(
          `No periods given for the fast and slow averages: ${fast.kind.toUpperCase()} 20/50.`,
        );
        named = [fast, slow];
      }
      const [a, b] = named.slice(-2);
      if (a === undefined || b === undefined) {
        const name = (kind ?? 'sma').toUpperCase();
        return fail(
          `Which periods should the fast and slow ${name} use? For example: ${name} 20 above ${name} 50.`,
        );
      }
      const [fast, slow] = periodOf(a) <= periodOf(b) ? [a, b] : [b, a];
      return { ...(g[0] === 'fast' ? fast : slow) };
    },
  },
  // "the ema" after "ema 21": that one; after "ema 12 ... ema 26": the pair.
  {
    pattern: new RegExp(String.raw`\b(?:${MA}|${LONG_MA})\b`, 'g'),
    build: (g, ctx) => {
      const word = g[0] ?? g[1];
      const named = namedAverages(ctx, word === 'ma' || word === undefined ? undefined : kindOf(word));
      if (named.length >= 2) return pairOf(ctx, word === 'ma' ? undefined : word);
      if (named[0] !== undefined) return { ...named[0] };
      // "ema cross w/ macd confirm": a cross of averages named without periods is the usual 20/50 pair,
      // said back, as it is when the cross is the whole request.
      if (named.length === 0 && /^\s*cross(?:es|ing|over)?\b/.test(ctx.after ?? '')) {
        const kind = kindOf(word);
        const [fast, slow] = [average(kind, '20'), average(kind, '50')];
        ctx.averages = [...(ctx.averages ?? []), fast, slow];
        ctx.scan?.assumed.push(`No periods given for the cross: ${kind.toUpperCase()} 20/50.`);
        return pairOf(ctx, kind);
      }
      const kind = kindOf(word).toUpperCase();
      return fail(`Which period should the ${kind} use? For example: price above ${kind} 200.`);
    },
  },
  // "price closes", "the close", "closing price", "price"; then "open", "high", "low", "volume".
  {
    pattern: /\b(?:price|candle)\s+closes?\b|\bclosing\s+price\b|\bprice\b|\bclose[sd]?\b/g,
    build: () => price('close'),
  },
  { pattern: /\b(open|high|low|volume)\b/g, build: (g) => price(g[0]) },
  // "close above its 20-period average": without volume, the average of the close.
  {
    pattern: new RegExp(String.raw`\b(?:its|the)\s+(\d+)${UNIT}\s+${AVG}\b`, 'g'),
    build: (g) => average('sma', g[0]),
  },
];
