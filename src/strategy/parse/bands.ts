// Offline parser, term rules for bands and channels. Bollinger: "lower bollinger band", "bb upper",
// "bollinger(20,2) middle", "%b", "bollinger width", "the lower band" (defaults 20 candles, 2 deviations).
// Donchian: "donchian 20 upper", "upper donchian channel 55", and whole conditions "donchian 20 breakout"
// (close above the channel of the candles before) and "breakdown". Touching a band is a whole condition
// too: "touches the lower band" means the candle's low reaches below it.

import type { Condition, Series } from '../spec.ts';
import { type TermContext, type TermRule, UNIT } from './terms.ts';
import { fail } from './text.ts';

type Band = 'upper' | 'middle' | 'lower' | 'percent_b' | 'width';
type Bollinger = Extract<Series, { kind: 'bollinger' }>;

const BB = String.raw`(?:bollinger(?:\s+bands?)?|bbands?|bb)`;
// "(20, 2)", " 20 2.5", "20/2"
// "(20, 2)", " 20 2.5", "20/2", "20 period 2.5 std"
// "bollinger 20 lower band", "bb(20)": the period alone, 2 deviations.
const BB_PARAMS = String.raw`(?:\s*\(?\s*(\d{1,3})\s*(?:periods?|length)?\s*(?:[,/ ]\s*(\d+(?:\.\d+)?)\s*(?:std|sd|stdev|dev|deviations?)?)?\s*\)?(?![\d.%]))?`;
const BAND = String.raw`(upper|lower|middle|mid|basis|%\s*b|percent\s*b|width|bandwidth)`;

function bandOf(word: string | undefined): Band {
  if (word === undefined) return 'middle';
  if (word === 'upper' || word === 'lower') return word;
  if (word.includes('b') && !word.startsWith('ba')) return 'percent_b';
  if (word.startsWith('width') || word === 'bandwidth') return 'width';
  return 'middle';
}

function bollinger(
  period: string | undefined,
  stddev: string | undefined,
  output: Band,
  ctx?: TermContext,
): Bollinger {
  if (period === undefined) ctx?.scan?.assumed.push('No Bollinger settings given: 20 candles, 2 deviations.');
  return {
    kind: 'bollinger',
    period: period === undefined ? 20 : Number(period),
    stddev: stddev === undefined ? 2 : Number(stddev),
    output,
  };
}

// "the lower band" after "bollinger(20,2.5)": the same bands.
function sameBands(ctx: TermContext, output: Band): Bollinger {
  const last = ctx.last.get('bollinger');
  return last?.kind === 'bollinger' ? { ...last, output } : bollinger(undefined, undefined, output, ctx);
}

const DAYS_PER_UNIT: Record<string, number> = { hour: 1 / 24, day: 1, week: 7 };

// "the 20-day high" on 4h candles is the high of 120 candles: days, hours and weeks count in candles of
// the strategy's timeframe, said back when they differ.
export function inCandles(
  count: string | undefined,
  unit: string | undefined,
  ctx: TermContext,
): string | undefined {
  const days = DAYS_PER_UNIT[unit ?? ''];
  const perDay = ctx.scan?.dayCandles;
  if (count === undefined || days === undefined || perDay === undefined) return count;
  const candles = Number(count) * days * perDay;
  if (candles === Number(count)) return count;
  if (!Number.isInteger(candles) || candles < 2 || candles > 500) {
    return fail(
      `A ${count}-${unit} high or low doesn't fit this timeframe's candles; give it in candles, for example: the 20-candle high.`,
    );
  }
  ctx.scan?.assumed.push(`The ${count}-${unit} high or low read as ${candles} candles.`);
  return String(candles);
}

const DONCHIAN_CANDLES = 20;

/** The channel of `period` candles; without one, the usual 20, said back. */
function donchian(
  period: string | undefined,
  output: 'upper' | 'middle' | 'lower',
  ctx?: TermContext,
): Series {
  if (period === undefined) ctx?.scan?.assumed.push(`No Donchian window given: ${DONCHIAN_CANDLES} candles.`);
  return { kind: 'donchian', period: period === undefined ? DONCHIAN_CANDLES : Number(period), output };
}

function channelSide(word: string | undefined): 'upper' | 'middle' | 'lower' {
  if (word === 'upper' || word === 'high' || word === 'top') return 'upper';
  if (word === 'lower' || word === 'low' || word === 'bottom') return 'lower';
  return 'middle';
}

const CLOSE: Series = { kind: 'price', field: 'close' };

function touch(band: string | undefined, bands: Bollinger): Condition {
  return band === 'upper'
    ? { op: 'above', left: { kind: 'price', field: 'high' }, right: { ...bands, output: 'upper' } }
    : { op: 'below', left: { kind: 'price', field: 'low' }, right: { ...bands, output: 'lower' } };
}

const REVERSION = String.raw`(?:mean\s*-?\s*reversion|reversion|reversals?|bounces?|fades?|fading)`;
const BREAKOUTS = String.raw`break\s*-?\s*outs?`;
const TOUCH = '(?:touch(?:es|ed|ing)?|tags?|tagging|hits?|tests?)';

/** Bollinger and Donchian rules, whole conditions first. */
export const BAND_RULES: readonly TermRule[] = [
  // "bollinger squeeze breakout", "bb squeeze then breakout above upper band", "breaks out of a squeeze"
  {
    pattern: new RegExp(
      String.raw`\b(?:break(?:s|ing)?\s+(out|down)\s+(?:of|from)\s+(?:a\s+|the\s+)?(?:${BB}${BB_PARAMS}\s+)?squeeze|(?:${BB}${BB_PARAMS}\s+)?(?<!\bshort\s+)squeeze(?![a-z])(?:\s+(?:then\s+)?(?:a\s+)?(?:break\s*(out|down)|breakout|breakdown)(?:\s+(?:above|over|below|under)\s+(?:the\s+)?(?:upper|lower)(?:\s+band)?)?)?)`,
      'g',
    ),
    build: (g, ctx) => {
      const [out, p1, s1, p2, s2, way] = g;
      // Without a way named, the side of the trade decides: a short breaks down out of the squeeze.
      const said = `${out ?? ''} ${way ?? ''} ${ctx.matched ?? ''}`;
      const named = /down|below|under|lower|out\b|above|over|upper/.test(said);
      const shortSide = /@3[^@]*$/.test(ctx.before ?? '');
      const down = named ? /down|below|under|lower/.test(said) : shortSide;
      return squeeze(bollinger(p1 ?? p2, s1 ?? s2, 'width', ctx), down, ctx);
    },
  },
  // "bollinger 20 2 mean reversion", "bollinger bounces", "fade the bollinger bands"
  {
    pattern: new RegExp(
      String.raw`\b(?:${BB}${BB_PARAMS}\s+${REVERSION}|${REVERSION}\s+(?:on\s+|off\s+|with\s+|using\s+|of\s+)?(?:the\s+)?${BB}${BB_PARAMS})\b`,
      'g',
    ),
    build: (g, ctx) => reversion(bollinger(g[0] ?? g[2], g[1] ?? g[3], 'middle', ctx), ctx),
  },
  // "bb breakouts", "breakouts of the bollinger bands"
  {
    pattern: new RegExp(
      String.raw`\b(?:${BB}${BB_PARAMS}\s+${BREAKOUTS}|${BREAKOUTS}\s+(?:on\s+|of\s+|from\s+|above\s+)?(?:the\s+)?${BB}${BB_PARAMS})\b`,
      'g',
    ),
    build: (g, ctx) => bandBreakout(bollinger(g[0] ?? g[2], g[1] ?? g[3], 'middle', ctx), ctx),
  },
  // "donchian 20 breakout", "20-candle donchian breakout", "breakout of the donchian 55 channel"
  {
    pattern: new RegExp(
      String.raw`\b(?:donchian(?:\s+channels?)?\s*\(?\s*(\d+)?\s*\)?|(\d+)${UNIT}\s+donchian(?:\s+channels?)?)\s+break\s*(out|down)\b`,
      'g',
    ),
    build: (g, ctx) => breakout(g[0] ?? g[1], g[2], ctx),
  },
  {
    pattern:
      /\bbreak\s*(out|down)\s+(?:of\s+|from\s+)?(?:the\s+)?donchian(?:\s+channels?)?\s*\(?\s*(\d+)?\s*\)?/g,
    build: (g, ctx) => breakout(g[1], g[0], ctx),
  },
  // "turtle 20 day breakout", "a 55-candle breakdown": the channel of that many candles before this one.
  {
    pattern:
      /(?<![@\w])(\d+)\s*-?\s*(candle|bar|day|period|week)s?\s+(?:high\s+|low\s+)?break\s*(out|down)s?\b/g,
    build: (g, ctx) => breakout(inCandles(g[0], g[1], ctx), g[2]),
  },
  // "lower bollinger band touch", "touches the lower band", "price tags the upper bb"
  {
    pattern: new RegExp(
      String.raw`\b(?:(upper|lower)\s+(?:${BB}${BB_PARAMS}\s+)?band\s+${TOUCH}|${TOUCH}\s+(?:of\s+)?(?:the\s+)?(upper|lower)\s+(?:${BB}${BB_PARAMS}\s*)?band|${BB}${BB_PARAMS}\s+(upper|lower)(?:\s+band)?\s+${TOUCH}|${TOUCH}\s+(?:the\s+)?${BB}${BB_PARAMS}\s+(upper|lower)(?:\s+band)?)\b`,
      'g',
    ),
    build: (g, ctx) => {
      const side = g[0] ?? g[3] ?? g[8] ?? g[11];
      const period = g[1] ?? g[4] ?? g[6] ?? g[9];
      const stddev = g[2] ?? g[5] ?? g[7] ?? g[10];
      // Without settings here, the bands named before ("bollinger 20 2.5 ... touches the lower band").
      return touch(
        side,
        period === undefined ? sameBands(ctx, 'lower') : bollinger(period, stddev, 'lower', ctx),
      );
    },
  },
  // "the 20-candle high", "a 55 day low", "highest high of the last 20 bars": the Donchian channel of the
  // candles before this one, so "breaks the 20 candle high" is a breakout.
  {
    pattern:
      /\b(?:the\s+|a\s+|its\s+)?(?:last\s+|past\s+|previous\s+|prior\s+)?(\d+)\s*-?\s*(candle|bar|day|period|hour|week)s?\s+(high|low)s?\b/g,
    build: (g, ctx) => donchian(inCandles(g[0], g[1], ctx), g[2] === 'high' ? 'upper' : 'lower'),
  },
  {
    pattern:
      /\b(?:the\s+)?(highest\s+high|lowest\s+low|high|low)\s+(?:of|over|in|from)\s+(?:the\s+)?(?:last|past|previous|prior)\s+(\d+)\s*(?:candles?|bars?|days?|periods?)\b/g,
    build: (g) => donchian(g[1], g[0]?.endsWith('high') ? 'upper' : 'lower'),
  },
  // "the 20 day donchian upper", "a 55-candle donchian channel low": the window first, in candles.
  {
    pattern:
      /\b(\d+)\s*-?\s*(candle|bar|day|period|hour|week)?s?\s+donchian(?:\s+channels?)?\s+(upper|lower|middle|mid|high|low|top|bottom)(?:\s+(?:band|line))?\b/g,
    build: (g, ctx) => donchian(inCandles(g[0], g[1], ctx), channelSide(g[2]), ctx),
  },
  // "upper donchian(20)", "lower donchian channel 55": the side first, read before "donchian(20)" alone
  // would take the middle line.
  {
    pattern: /\b(upper|lower|middle|top|bottom)\s+donchian(?:\s+channels?)?\s*\(?\s*(\d+)?\s*\)?/g,
    build: (g, ctx) => donchian(g[1], channelSide(g[0]), ctx),
  },
  // "donchian 20 upper", "donchian channel(55) lower", "donchian upper 20"
  {
    pattern:
      /\bdonchian(?:\s+channels?)?\s*\(?\s*(\d+)?\s*\)?\s*(upper|lower|middle|mid|high|low|top|bottom)?(?:\s+band)?\b(?:\s*\(?\s*(\d+)\s*\)?(?!\s*(?:%|x\b|times\b)))?/g,
    build: (g, ctx) => donchian(g[0] ?? (g[1] === undefined ? undefined : g[2]), channelSide(g[1]), ctx),
  },
  // "bollinger(20,2) lower band", "bb upper", "bollinger %b", "bollinger width"
  {
    pattern: new RegExp(String.raw`\b${BB}${BB_PARAMS}\s+${BAND}(?:\s+band)?\b`, 'g'),
    build: (g, ctx) => bollinger(g[0], g[1], bandOf(g[2]?.replace(/\s+/g, '')), ctx),
  },
  // "lower bollinger band", "upper bb(20,2.5)"
  {
    pattern: new RegExp(String.raw`\b(upper|lower|middle|mid)\s+${BB}${BB_PARAMS}(?:\s+band)?\b`, 'g'),
    build: (g, ctx) => bollinger(g[1], g[2], bandOf(g[0]), ctx),
  },
  // "the lower band", "%b" once Bollinger has been named
  {
    pattern: /\b(upper|lower|middle|mid)\s+band\b/g,
    family: 'bollinger',
    build: (g, ctx) => sameBands(ctx, bandOf(g[0])),
  },
  // "buy lower sell upper" once Bollinger has been named
  {
    pattern:
      /(?<=(?:@[1-4]|\bat|\bthe)\s+)(upper|lower)\b(?!\s+(?:than|highs?|lows?|wicks?|shadows?|timeframes?|tf|band|donchian|channel))/g,
    family: 'bollinger',
    build: (g, ctx) => sameBands(ctx, bandOf(g[0])),
  },
  { pattern: /%\s*b\b|\bpercent\s*b\b/g, build: (_g, ctx) => sameBands(ctx, 'percent_b') },
  // The bands named with their settings, the band itself said later ("bollinger 20 2.5, buy lower sell
  // upper"): nothing to read here, the later words use these settings (see declaredBands).
  {
    pattern: new RegExp(String.raw`\b${BB}${BB_PARAMS}`, 'g'),
    build: (g, ctx) => {
      if (BAND_WORD.test(ctx.text ?? '')) return [];
      const reverting = meanReversionBands(ctx.text ?? '');
      if (reverting) {
        ctx.scan?.assumed.push(
          'Bollinger bands named beside an oversold reading, read as the usual mean reversion: buy a close below the lower band.',
        );
        const lower = bollinger(g[0], g[1], 'lower', ctx);
        return { op: 'below', left: { kind: 'price', field: 'close' }, right: lower } satisfies Condition;
      }
      return fail(
        'Which Bollinger band do you mean? Say for example: close below the lower bollinger band, or: %b below 0.',
      );
    },
  },
];

// "bb + rsi 14 under 30", "bollinger bands and rsi under 30 buy, rsi over 70 sell": the bands named with no
// band, in the buying words before any sell, beside an oscillator's oversold reading and nothing of a
// breakout or a short: the lower band, as the mean reversion they go with.
function meanReversionBands(text: string): boolean {
  const named = new RegExp(String.raw`\b${BB}`).exec(text)?.index ?? -1;
  const sell =
    /@[234]|\b(?:sell|exit|close\s+(?:the\s+)?(?:trade|position)|take\s+profit|tp|out)\b/.exec(text)?.index ??
    text.length;
  if (named < 0 || named > sell) return false;
  if (
    /\b(?:short\w*|cover\w*|break\w*|squeeze|upper|above\s+the\s+(?:bands?|bollinger)|momentum|trend\w*)\b/.test(
      text,
    )
  )
    return false;
  // The clause the bands are named in: an oversold reading in it, and nothing of selling or overbought.
  const start =
    Math.max(text.lastIndexOf(',', named), text.lastIndexOf(';', named), text.lastIndexOf('.', named)) + 1;
  const ends = [',', ';', '.'].map((c) => text.indexOf(c, named)).filter((i) => i >= 0);
  const clause = text.slice(start, ends.length > 0 ? Math.min(...ends) : text.length);
  if (/@[234]|\b(?:over|above|overbought|sell|exit)\b|>/.test(clause)) return false;
  return (
    /\b(?:rsi|mfi|cci|stoch\w*)\b(?:\s*\(?\d+\)?)?\s*(?:is\s+)?(?:under|below|<|oversold|dips?\s+below|drops?\s+below)/.test(
      clause,
    ) || /\boversold\b/.test(clause)
  );
}

// A band said on its own after an action or "at"/"the", or as "lower band".
const BAND_WORD =
  /(?:@[1-4]|\bat|\bthe)\s+(?:upper|lower|middle|mid)\b|\b(?:upper|lower|middle|mid)\s+bands?\b/;

/** The Bollinger settings a text names ("bollinger 20 period 2.5 std"), for the bands said after them. */
export function declaredBands(text: string): Series | undefined {
  const found = new RegExp(String.raw`\b${BB}${BB_PARAMS}`).exec(text);
  if (found === null || found[1] === undefined) return undefined;
  return bollinger(found[1], found[2], 'middle');
}

const SQUEEZE_CANDLES = 20;

// A squeeze breakout: bands narrower than SQUEEZE_CANDLES candles before, and the close crossing out of
// them; said back, since traders measure a squeeze in several ways.
function squeeze(width: Bollinger, down: boolean, ctx: TermContext): Condition[] {
  const band: Bollinger = { ...width, output: down ? 'lower' : 'upper' };
  ctx.scan?.assumed.push(
    `Bollinger squeeze read as: the band width (${width.period}, ${width.stddev}) narrower than ${SQUEEZE_CANDLES} candles before, and the close crossing ${down ? 'below the lower' : 'above the upper'} band.`,
  );
  return [
    { op: 'falling', left: width, candles: SQUEEZE_CANDLES },
    { op: down ? 'crosses_below' : 'crosses_above', left: CLOSE, right: band },
  ];
}

function breakout(period: string | undefined, kind: string | undefined, ctx?: TermContext): Condition {
  return kind === 'down'
    ? { op: 'below', left: CLOSE, right: donchian(period, 'lower', ctx) }
    : { op: 'above', left: CLOSE, right: donchian(period, 'upper', ctx) };
}

/** Whether the phrase being built sits on the short side ("@3" opens a short, nothing closes it since). */
function onShortSide(ctx: TermContext): boolean {
  return /@3[^@]*$/.test(ctx.before ?? '');
}

// Bollinger mean reversion, said as a style: the close outside a band, fading back in. A long buys below
// the lower band; a short sells above the upper one.
function reversion(bands: Bollinger, ctx: TermContext): Condition {
  const short = onShortSide(ctx);
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim() ?? 'Bollinger reversion'}" read as: the close ${short ? 'above the upper' : 'below the lower'} band (${bands.period}, ${bands.stddev}).`,
  );
  return short
    ? { op: 'above', left: CLOSE, right: { ...bands, output: 'upper' } }
    : { op: 'below', left: CLOSE, right: { ...bands, output: 'lower' } };
}

// Bollinger breakouts, said as a style: the close outside the band in the trade's direction.
function bandBreakout(bands: Bollinger, ctx: TermContext): Condition {
  const short = onShortSide(ctx);
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim() ?? 'Bollinger breakout'}" read as: the close ${short ? 'below the lower' : 'above the upper'} band (${bands.period}, ${bands.stddev}).`,
  );
  return short
    ? { op: 'below', left: CLOSE, right: { ...bands, output: 'lower' } }
    : { op: 'above', left: CLOSE, right: { ...bands, output: 'upper' } };
}
