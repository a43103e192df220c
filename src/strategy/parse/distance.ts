// Offline parser, the close a distance from a line: "price is 3% below the 20 sma", "2% above vwap". The
// comparison scales the line ("close below 0.97 x SMA(20)"), which the spec language says with `times`.

import type { Condition, Series } from '../spec.ts';
import { AVERAGE_RULES } from './averages.ts';
import { type Item, itemOf, substitute, type TermContext, type TermRule } from './terms.ts';
import { fail } from './text.ts';

/** A moving average or VWAP as a trader names it: "the 20 sma", "ema(50)", "vwap". */
const LINE = String.raw`(?:\d+\s*-?\s*(?:period\s+|day\s+)?(?:sma|ema|wma|ma)\b|(?:sma|ema|wma|ma)\s*\(?\s*\d+\s*\)?|vwap(?:\s*\(?\s*\d+\s*\)?)?)`;
/** "3% below the", "2.5 % over its": a distance from the line that follows. */
export const DISTANCE = String.raw`(\d+(?:\.\d+)?)\s*%\s+(below|under|above|over)\s+(?:the\s+|its\s+)?`;

const SUBJECT = String.raw`(?:(?:the\s+)?(?:price|close|it)\s+(?:is\s+|closes\s+|trades\s+|gets\s+|drops\s+|falls\s+|dips\s+|goes\s+|rises\s+)?)?`;

function lineOf(text: string, ctx: TermContext): Series {
  const items: Item[] = [];
  const token = substitute(text, AVERAGE_RULES, ctx, items).trim();
  const item = itemOf(token, items);
  if (item === undefined || !('series' in item) || item.series === undefined)
    return fail(`I couldn't read the line in "${text.trim()}".`);
  return item.series;
}

// "price up >2%", "the candle is up 3%", "a 2% green candle": the candle's close that far over its open.
const MOVE = String.raw`\b(?:(?:the\s+)?(?:price|candle|close)\s+(?:is\s+|closes\s+)?(up|down|green|red)\s*(?:>|over|more\s+than|by|at\s+least)?\s*(\d+(?:\.\d+)?)\s*%|(?:an?\s+)?(\d+(?:\.\d+)?)\s*%\s*\+?\s*(green|red|up|down)\s+(?:candle|bar))(?:\s+(?:on|in)\s+(?:a|one|the|that)\s+(?:single\s+)?(?:candle|bar))?(?!\s+(?:in|over|within)\s+(?:a|an|one|the|\d))`;

function candleMove(word: string | undefined, percent: string | undefined, ctx: TermContext): Condition {
  const p = Number(percent);
  if (!(p > 0 && p < 90)) return fail(`A candle's move must be between 0% and 90%, not ${percent}%.`);
  const up = word === 'up' || word === 'green';
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim() ?? 'move'}" read as: the close at least ${p}% ${up ? 'above' : 'below'} the open of the same candle.`,
  );
  return {
    op: up ? 'above' : 'below',
    left: { kind: 'price', field: 'close' },
    right: { kind: 'price', field: 'open' },
    times: Math.round((up ? 1 + p / 100 : 1 - p / 100) * 10000) / 10000,
  };
}

/** The text with every distance and candle move blanked: the percentages these rules read. */
export function withoutDistances(lower: string): string {
  const blank = (s: string) => ' '.repeat(s.length);
  return lower
    .replace(new RegExp(`${DISTANCE}${LINE}`, 'g'), blank)
    .replace(new RegExp(MOVE, 'g'), blank);
}

export const DISTANCE_RULES: readonly TermRule[] = [
  {
    pattern: new RegExp(MOVE, 'g'),
    build: (g, ctx) => candleMove(g[0] ?? g[3], g[1] ?? g[2], ctx),
  },
  {
    pattern: new RegExp(String.raw`\b${SUBJECT}${DISTANCE}(${LINE})`, 'g'),
    build: (g, ctx): Condition => {
      const [percent, word, line] = g;
      const p = Number(percent);
      if (!(p > 0 && p < 90))
        return fail(`A distance from a line must be between 0% and 90%, not ${percent}%.`);
      const below = word === 'below' || word === 'under';
      const times = Math.round((below ? 1 - p / 100 : 1 + p / 100) * 10000) / 10000;
      return {
        op: below ? 'below' : 'above',
        left: { kind: 'price', field: 'close' },
        right: lineOf(line ?? '', ctx),
        times,
      };
    },
  },
];
