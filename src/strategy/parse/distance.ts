// Offline parser, the close a distance from a line: "price is 3% below the 20 sma", "2% above vwap". The
// comparison scales the line ("close below 0.97 x SMA(20)"), which the spec language says with `times`.

import { describeItem } from '../describe.ts';
import type { Condition, Series } from '../spec.ts';
import { AVERAGE_RULES } from './averages.ts';
import { BAND_RULES } from './bands.ts';
import { earlierPrice, IN_A_ROW, MOVE_OVER } from './earlier.ts';
import { EARLIER_PRICE, NAMED_AVERAGE } from './patterns.ts';
import { type Item, itemOf, substitute, type TermContext, type TermRule } from './terms.ts';
import { fail } from './text.ts';

const EARLIER = new RegExp(EARLIER_PRICE);
/** The high or low of the last candles: "the 20-bar high", "its 14 day high", "the last 30 candles' low". */
const RECENT_EXTREME = String.raw`(?:(?:last|past)\s{1,3})?\d+\s{0,3}-?\s{0,3}(?:candle|bar|day|period|hour|week)s?'?\s{1,3}(?:high|low)\b`;
/** A moving average or VWAP as a trader names it: "the 20 sma", "ema(50)", "vwap", an earlier candle's price, or a recent high or low. */
const LINE = String.raw`(?:${NAMED_AVERAGE}|vwap(?:\s{0,3}\(?\s{0,3}\d+\s{0,3}\)?)?|${EARLIER_PRICE}|${RECENT_EXTREME})`;
/** "3% below the", "2.5 % over its": a distance from the line that follows. */
// "more than 8% below", "25% or more under": as a state on the candle, the same as "8% below" (the
// close beyond that scaled line).
const DISTANCE = String.raw`(?:(?:more\s+than|at\s+least)\s+)?(\d+(?:\.\d+)?)\s*%\s+(?:or\s+more\s+)?(below|under|above|over)\s+(?:the\s+|its\s+)?`;
// Whose distance: the price's, said as a state ("price is 3% below"), as a move there ("price drops 3%
// below the 20 ema": there on the candle) or implied at the start of a clause ("buy when 3% below").
// Another line as the subject ("the ema 9 is 1% above the ema 21") or a bound ("less than 3% above",
// "within 2%") is not this phrase: the percentage is then left for the question. A move with more after
// the line in its clause ("dips 2% below the ema then closes back above") is a sequence, and asked about.
const MOVING_VERB = '(?:drops|dips|falls|goes|gets|trades|moves|rises|climbs|pushes)';
const MOVING = new RegExp(String.raw`\b${MOVING_VERB}\b`);
/** Words of a later step: what follows them is not the same candle. */
const SEQUENCE =
  /\b(?:then|after(?:wards)?|later|next|again|bounc\w*|reclaim\w*|rall(?:y|ies|ied)|revers\w*|recover\w*|fails?|failed|retrac\w*|pull\w*\s+back|wait\w*|confirm\w*|green|red)\b/;
/** Where the exit's clause starts: nothing after it is a step of the entry. */
const EXIT_CLAUSE =
  /\b(?:sell|exit|cover|close\s+(?:the\s+)?(?:trade|position)|take\s*profit|tp|sl|stop)\b|@[2-4]/;
/** Where a clause ends: punctuation, or the next action or risk setting. */
const CLAUSE_END = /[,.;!?]|\b(?:sell|exit|cover|short|buy|long|stop|sl|tp|take|with)\b|@[1-4]/;
const STATE_VERB = '(?:is|closes|closed|sits|stays)';
const SUBJECT = String.raw`(?:\b(?:the\s+)?(?:price|close)\s+(?:${STATE_VERB}\s+|${MOVING_VERB}\s+(?:to\s+)?)?|(?<=\b(?:when|if|once)\s+)it(?:'s\s+|\s+${STATE_VERB}\s+|\s+${MOVING_VERB}\s+(?:to\s+)?)|(?<=(?:^|[,;:.]|\b(?:when|if|once|and|buy|sell|short|cover|long)|@[1-4])\s*))`;
/** The whole phrase: the price a distance from a line. */
const DISTANCE_PHRASE = `${SUBJECT}${DISTANCE}(${LINE})`;
// "down 20% from its 14 day high", "on a 10% pullback from the 20 bar high", "10% off the 30-day high": the
// close that far under a recent high (the same as "20% below" it), as a state on the candle.
const OFF_THE_HIGH = String.raw`\b(?:(?:is|it'?s|price\s+is)\s+)?(?:(?:down|off)\s+(?:(?:more\s+than|at\s+least)\s+)?(\d+(?:\.\d+)?)\s*%\s+(?:from|off)|(?:on\s+)?(?:an?\s+)?(\d+(?:\.\d+)?)\s*%\s+(?:(?:pullback|drop|dip|decline)\s+(?:from|off)|off))\s+(?:the\s+|its\s+)?(${RECENT_EXTREME.replace('(?:high|low)', 'high')})`;

function lineOf(text: string, ctx: TermContext): Series {
  const earlier = EARLIER.exec(text);
  if (earlier !== null) return earlierPrice(earlier.slice(1), ctx);
  const items: Item[] = [];
  const extreme = new RegExp(`^\\s*${RECENT_EXTREME}`).test(text);
  const token = substitute(text, extreme ? BAND_RULES : AVERAGE_RULES, ctx, items).trim();
  const item = itemOf(token, items);
  if (item === undefined || !('series' in item) || item.series === undefined)
    return fail(`I couldn't read the line in "${text.trim()}".`);
  return item.series;
}

// "price up >2%", "the candle is up 3%", "a 2% green candle": the candle's close that far over its open.
const MOVE = String.raw`\b(?:(?:the\s+)?(?:price|candle|close)\s+(?:is\s+|closes\s+)?(up|down|green|red|drops?|dumps?|falls?|pumps?|jumps?|rises?)\s*(?:>|over|more\s+than|by|at\s+least)?\s*(\d+(?:\.\d+)?)\s*%|(?:an?\s+)?(\d+(?:\.\d+)?)\s*%\s*\+?\s*(green|red|up|down)\s+(?:candle|bar))(?:\s+(?:on|in)\s+(?:a|one|the|that)\s+(?:single\s+)?(?:candle|bar))?(?!\s+(?:in|over|within)\s+(?:a|an|one|the|\d)|\s+(?:on|for)\s+(?:the|this|that)\s+(?:day|week|session)|\s+today|\s+(?:below|under|above|over|from|off)\b)`;

// "the candle closes 3% above the open", "it closes more than 2% below its open": the same candle's move.
const FROM_OPEN = String.raw`\b(?:the\s+)?(?:candle|price|it|close)\s+(?:closes?|is)\s+(?:(?:more\s+than|at\s+least)\s+)?(\d+(?:\.\d+)?)\s*%\s+(?:or\s+more\s+)?(above|over|below|under)\s+(?:the\s+|its\s+)?open\b(?!\s+(?:of|for)\s+(?:the|this|that|a)\s+(?:day|week|session|month))`;

function candleMove(word: string | undefined, percent: string | undefined, ctx: TermContext): Condition {
  const p = Number(percent);
  if (!(p > 0 && p < 90)) return fail(`A candle's move must be between 0% and 90%, not ${percent}%.`);
  const up = /^(?:up|green|pumps?|jumps?|rises?)$/.test(word ?? '');
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

/** A distance as read, said back in the trader's words and the spec's ("... read as: close below 0.8 x ..."). */
function saidBack(condition: Condition, said: string | undefined, ctx: TermContext): Condition {
  ctx.scan?.assumed.push(`"${said?.trim() ?? ''}" read as: ${describeItem(condition)}.`);
  return condition;
}

/** The text with every distance, candle move and run of candles blanked: what these rules read. */
export function withoutDistances(lower: string): string {
  const blank = (s: string) => ' '.repeat(s.length);
  return lower
    .replace(new RegExp(DISTANCE_PHRASE, 'g'), blank)
    .replace(new RegExp(MOVE, 'g'), blank)
    .replace(new RegExp(FROM_OPEN, 'g'), blank)
    .replace(new RegExp(OFF_THE_HIGH, 'g'), blank)
    .replace(new RegExp(MOVE_OVER.source, 'g'), blank)
    .replace(new RegExp(IN_A_ROW.source, 'g'), blank);
}

export const DISTANCE_RULES: readonly TermRule[] = [
  {
    pattern: new RegExp(OFF_THE_HIGH, 'g'),
    build: (g, ctx): Condition => {
      const said = ctx.matched;
      const p = Number(g[0] ?? g[1]);
      if (!(p > 0 && p < 90)) return fail(`A distance from a high must be between 0% and 90%, not ${p}%.`);
      return saidBack(
        {
          op: 'below',
          left: { kind: 'price', field: 'close' },
          right: lineOf(g[2] ?? '', ctx),
          times: Math.round((1 - p / 100) * 10000) / 10000,
        },
        said,
        ctx,
      );
    },
  },
  {
    pattern: new RegExp(FROM_OPEN, 'g'),
    build: (g, ctx) => candleMove(g[1] === 'above' || g[1] === 'over' ? 'up' : 'down', g[0], ctx),
  },
  {
    pattern: new RegExp(MOVE, 'g'),
    build: (g, ctx) => candleMove(g[0] ?? g[3], g[1] ?? g[2], ctx),
  },
  {
    pattern: new RegExp(DISTANCE_PHRASE, 'g'),
    build: (g, ctx): Condition => {
      const [percent, word, line] = g;
      // A step of a sequence, never one candle: "dips 2% below the ema, then bounces", "... buy the
      // bounce", "the first green candle after price drops 3% below ...". Whatever the verb, a sequence
      // word up to the exit's clause, or "after"/"once" just before, asks.
      const entryRest = (ctx.after ?? '').split(EXIT_CLAUSE)[0] ?? '';
      const lead = (ctx.before ?? '').slice(-40);
      const sequence =
        SEQUENCE.exec(entryRest)?.[0] ?? (/\b(?:after|once|first)\b/.test(lead) ? 'after' : undefined);
      // A move read as a state only when its clause ends at the line: "dips 2% below the ema and closes
      // above it" is two steps. What a timeframe leaves behind ("... the 20 ema on the 1h") is no more.
      const rest = entryRest.split(CLAUSE_END)[0]?.trim() ?? '';
      const moved = MOVING.test(ctx.matched ?? '') && !/^(?:(?:on|in|at|for)(?:\s+the)?)?$/.test(rest);
      if (sequence !== undefined || moved) {
        return fail(
          `I can't read "${ctx.matched?.trim()}" ${sequence ? `with "${sequence}"` : `then "${rest}"`} as one candle; say what holds on the candle, for example: buy when price is ${percent}% ${word} the ${line?.trim()}.`,
        );
      }
      // "fade it when price is 3% above vwap" trades against the move, a short; with no side said, ask.
      if (/\bfad(?:e|es|ed|ing)\b/.test(ctx.text ?? '') && !/@[1-4]/.test(ctx.text ?? '')) {
        return fail(
          `Which side should "fade" trade? Say for example: short when price is ${percent}% above vwap, or: buy when price is ${percent}% below vwap.`,
        );
      }
      const p = Number(percent);
      if (!(p > 0 && p < 90))
        return fail(`A distance from a line must be between 0% and 90%, not ${percent}%.`);
      const below = word === 'below' || word === 'under';
      const times = Math.round((below ? 1 - p / 100 : 1 + p / 100) * 10000) / 10000;
      const said = ctx.matched;
      return saidBack(
        {
          op: below ? 'below' : 'above',
          left: { kind: 'price', field: 'close' },
          right: lineOf(line ?? '', ctx),
          times,
        },
        said,
        ctx,
      );
    },
  },
];
