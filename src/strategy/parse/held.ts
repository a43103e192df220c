// Offline parser, a close held beyond a line for several candles: "3 closes in a row above the upper band",
// "2 consecutive candles close above the 20 ema", "closes above the ema 20 for 3 candles in a row". The
// comparison holds on each of those candles, the one traded and those before it (`held`), said back.
import type { Condition } from '../spec.ts';
import { AVERAGE_RULES } from './averages.ts';
import { BAND_RULES } from './bands.ts';
import { type Item, itemOf, substitute, type TermContext, type TermRule } from './terms.ts';
import { fail } from './text.ts';

const MAX_HELD = 10;
/** Words a series ends with: what "stays above ... for 3 candles" after them is about is not the close. */
const SERIES_WORDS = String.raw`ema|sma|wma|ma|rsi|macd|vwap|obv|adx|cci|mfi|stoch\w*|%[kd]|band|line|signal|histogram|volume|\d+`;
const SIDE = '(above|over|below|under)';
/** The line, up to where its clause ends. */
const LINE = String.raw`(?:the\s+|its\s+)?([a-z0-9][^,;.§@]*?)`;
const LINE_END = String.raw`(?=\s*(?:[,;.]|$|\b(?:and|or|then|to|sell|exit|buy|long|short|cover|with|on)\b|@[1-4]))`;
const CANDLES = String.raw`(?:consecutive\s+|straight\s+)?(?:candles?|bars?|closes?|periods?)`;

function held(
  count: string | undefined,
  side: string | undefined,
  line: string | undefined,
  ctx: TermContext,
): Condition {
  const said = ctx.matched?.trim();
  const n = Number(count);
  if (!(n >= 2 && n <= MAX_HELD))
    return fail(`I can read a close held over 2 to ${MAX_HELD} candles, not ${count}.`);
  const items: Item[] = [];
  const named = (line ?? '').replace(/^(?:the|its)\s+/, '');
  const token = substitute(named, [...BAND_RULES, ...AVERAGE_RULES], ctx, items).trim();
  // One line and nothing else ("50 ema and rising" is not a line).
  const item = /^§[A-Z]$/.test(token) ? itemOf(token, items) : undefined;
  if (item === undefined || !('series' in item) || item.series === undefined)
    return fail(
      `I couldn't read the line in "${said}"; name it, for example: 3 closes in a row above the upper bollinger band.`,
    );
  if (item.series.timeframe !== undefined)
    return fail(`"${said}" counts candles of a higher timeframe; say it on the strategy's own candles.`);
  const above = side === 'above' || side === 'over';
  const condition: Condition = {
    op: above ? 'above' : 'below',
    left: { kind: 'price', field: 'close' },
    right: item.series,
    held: n,
  };
  ctx.scan?.assumed.push(
    `"${said}" read as: the close ${above ? 'above' : 'below'} it on each of the last ${n} candles.`,
  );
  return condition;
}

export const HELD_RULES: readonly TermRule[] = [
  // "3 closes in a row above the upper band", "2 consecutive candles close above the 20 ema"
  {
    pattern: new RegExp(
      String.raw`(?<![@\w.])(\d+)\s+(?:consecutive\s+|straight\s+)?(?:closes?|(?:candles?|bars?)(?:\s+(?:that\s+)?clos(?:e|es|ing))?)\s+(?:in\s+a\s+row\s+)?${SIDE}\s+${LINE}${LINE_END}`,
      'g',
    ),
    build: (g, ctx) => held(g[0], g[1], g[2], ctx),
  },
  // "closes above the ema 20 for 3 candles in a row", "price stays below vwap for 4 bars"
  {
    pattern: new RegExp(
      String.raw`(?:\b(?:the\s+)?(?:price|close)\s+(?:is|stays?|holds?|trades?|closes?)\s+|(?<!\b(?:${SERIES_WORDS})\)?\s+)\b(?:it\s+)?(?:closes?|closing|closed|stays?|holds?)\s+)${SIDE}\s+${LINE}\s+for\s+(\d+)\s+${CANDLES}(?:\s+in\s+a\s+row|\s+straight)?\b`,
      'g',
    ),
    build: (g, ctx) => held(g[2], g[0], g[1], ctx),
  },
];
