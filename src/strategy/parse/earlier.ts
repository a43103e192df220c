// Offline parser, term rules for earlier candles: "the previous candle's high", "prev close", "yesterday's
// high" on daily candles (a price that many candles ago), and a move over a span: "drops 5% in a day",
// "up 10% over the last 7 days" (the close against the close that many candles before, scaled with
// `times`). Each says back how many candles it counted.
import type { Condition, Series } from '../spec.ts';
import { EARLIER_PRICE, isDayBefore } from './patterns.ts';
import type { TermContext, TermRule } from './terms.ts';
import { fail } from './text.ts';

type Field = 'open' | 'high' | 'low' | 'close';

// "the previous candle's high", "prev close", "yesterday's high" (patterns.ts). After a distance ("1% above
// the previous close") it is the distance reader's line (distance.ts).
const EARLIER = new RegExp(
  String.raw`(?<!%\s+(?:below|under|above|over)\s+(?:the\s+)?)\b${EARLIER_PRICE}`,
  'g',
);

/** An earlier candle's price from `EARLIER_PRICE`'s groups: the candle before, or the day before on daily candles. */
export function earlierPrice(groups: readonly (string | undefined)[], ctx: TermContext): Series {
  const [word, unit, field] = groups;
  // "yesterday's high" is one candle back only on daily candles; on others it spans many.
  if (isDayBefore(word, unit) && ctx.scan?.dayCandles !== 1)
    return fail(
      `"${ctx.matched?.trim()}" spans many candles on this timeframe; use daily candles, or a channel, for example: close above the 24-candle high.`,
    );
  return { kind: 'price', field: (field ?? 'close') as Field, ago: 1 };
}

// "drops 5% in a day", "falls more than 3% in 1 hour", "up 10% over the last 7 days", "pumps 5% in one
// candle": the close against the close that span before.
export const MOVE_OVER =
  /\b(?:(?:the\s+)?(?:price|close|it)\s+)?(?:(?:is|has|was)\s+)?(drops?|dropped|dumps?|dumped|falls?|fell|down|goes\s+down|sinks?|rises?|rose|pumps?|pumped|jumps?|jumped|up|goes\s+up|gains?|rall(?:y|ies))\s+(?:more\s+than\s+|over\s+|at\s+least\s+|by\s+|like\s+)?(\d+(?:\.\d+)?)\s*%\s+(?:in|over|within)\s+(?:the\s+(?:last|past)\s+|a\s+single\s+|a\s+|an\s+|one\s+|1\s+)?(\d+\s+)?(candles?|bars?|hours?|hourly\s+candles?|days?|daily\s+candles?|weeks?)\b/g;

const HOURS: Record<string, number> = { hour: 1, day: 24, week: 168 };

/** Candles in `count` of `unit` on the strategy's timeframe, or a question when they don't fit. */
function candlesIn(count: number, unit: string, ctx: TermContext): number {
  const word = unit.replace(/^(hourly|daily)\s+candles?$/, (_w, u: string) =>
    u === 'hourly' ? 'hour' : 'day',
  );
  if (/^(?:candle|bar)/.test(word)) return count;
  const perDay = ctx.scan?.dayCandles;
  const hours = HOURS[word.replace(/s$/, '')];
  if (perDay === undefined || hours === undefined)
    return fail(`I couldn't read the span "${count} ${unit}".`);
  const candles = (count * hours * perDay) / 24;
  if (!Number.isInteger(candles) || candles < 1 || candles > 500) {
    return fail(
      `A move over ${count} ${unit} doesn't fit this timeframe's candles; give it in candles, for example: drops 5% in 24 candles.`,
    );
  }
  return candles;
}

// "3 green candles in a row", "after 4 red bars in a row", "down 5 days in a row" (on daily candles), "3
// higher closes in a row".
export const IN_A_ROW =
  /\b(?:(?:it'?s\s+been|it\s+has\s+been|been)\s+)?(?:(\d+)\s+(green|red|up|down|higher|lower|bullish|bearish)\s+(candles?|bars?|closes?|days?)|(up|down)\s+(\d+)\s+(candles?|bars?|days?))\s+(?:in\s+a\s+row|straight|consecutive(?:ly)?)\b/g;
const MAX_IN_A_ROW = 5;

function inARow(g: (string | undefined)[], ctx: TermContext, from = 0): Condition[] {
  const [n1, word1, unit1, word2, n2, unit2] = g;
  const count = Number(n1 ?? n2);
  const word = word1 ?? word2 ?? '';
  const unit = unit1 ?? unit2 ?? '';
  if (!(count >= 2 && count <= MAX_IN_A_ROW))
    return fail(`I can read 2 to ${MAX_IN_A_ROW} candles in a row, not ${count}.`);
  if (unit.startsWith('day') && ctx.scan?.dayCandles !== 1)
    return fail(
      `"${ctx.matched?.trim()}" counts days; use daily candles, or say candles, for example: 3 red candles in a row.`,
    );
  // "2 green candles in a row above vwap": which of them is above it is not the run's to guess.
  const placed = /^\s*(?:(?:each\s+|all\s+)?clos\w*\s+)?(above|below|over|under)\b/.exec(ctx.after ?? '');
  if (placed)
    return fail(
      `I read "${ctx.matched?.trim()}" as the candles' colours; say the line apart, for example: ${count} ${word} candles in a row and the close ${placed[1]} the EMA 20 for ${count} candles in a row.`,
    );
  const up = /^(?:green|up|higher|bullish)$/.test(word);
  const at = (field: 'open' | 'close', ago: number): Series =>
    ago === 0 ? { kind: 'price', field } : { kind: 'price', field, ago };
  // A colour compares each candle's close with its open; up and down, with the close before.
  const colour = /^(?:green|red|bullish|bearish)$/.test(word);
  const conditions: Condition[] = Array.from({ length: count }, (_, k) => ({
    op: up ? 'above' : 'below',
    left: at('close', k + from),
    right: colour ? at('open', k + from) : at('close', k + from + 1),
  }));
  if (from === 0)
    ctx.scan?.assumed.push(
      `"${ctx.matched?.trim()}" read as: each of the last ${count} candles closing ${up ? 'above' : 'below'} ${colour ? 'its open' : 'the close before it'}.`,
    );
  return conditions;
}

// "3 red candles in a row before a green candle" (text.ts writes "3 red candles in a row, then buy the
// next green candle" so): the run on the candles before, and the candle traded of the other colour.
const RUN_THEN_TURN =
  /\b(\d+)\s+(green|red|bullish|bearish)\s+(candles?|bars?|days?)\s+in\s+a\s+row(?:\s+each\s+closed\s+(higher|lower))?\s+before\s+a\s+(green|red|bullish|bearish)\s+candle\b/g;

function runThenTurn(g: (string | undefined)[], ctx: TermContext): Condition[] {
  const [count, run, unit, closing, turn] = g;
  const up = (word: string | undefined) => /^(?:green|bullish)$/.test(word ?? '');
  if (up(run) === up(turn))
    return fail(`I couldn't read "${ctx.matched?.trim()}"; the last candle should turn the other way.`);
  const before = [
    ...inARow([count, run, unit], ctx, 1),
    ...(closing ? inARow([count, closing, 'closes'], ctx, 1) : []),
  ];
  const now: Condition = {
    op: up(turn) ? 'above' : 'below',
    left: { kind: 'price', field: 'close' },
    right: { kind: 'price', field: 'open' },
  };
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim()}" read as: the ${count} candles before this one ${up(run) ? 'green' : 'red'} (close ${up(run) ? 'above' : 'below'} open${closing ? `, each close ${closing} than the one before` : ''}), this one ${up(turn) ? 'green' : 'red'}.`,
  );
  return [...before, now];
}

// "a bullish engulfing candle", "bearish engulfing": this candle's body covering the one before, of the
// other colour; a definition in brackets after it says the same and is read as said.
const ENGULFING =
  /\b(?:an?\s+|the\s+)?(bullish|bearish)\s+engulf(?:ing|s)?(?:\s+(?:candle|bar|pattern|one))?(?:\s+(?:forms?|prints?|appears?))?(?:\s*\((?:\s*(?:red|green|bullish|bearish|candles?|bars?|bod(?:y|ies)|whose|which|that|fully|completely|entirely|covers?|covering|engulf\w*|wraps?|swallows?|previous|prior|last|one|the|a|an|is|bigger|larger|than|its|it|of|and|current)\b[\s,]*)+\))?/g;

function engulfing(g: (string | undefined)[], ctx: TermContext): Condition[] {
  const up = g[0] === 'bullish';
  // "a bullish engulfing candle above the 200 ema": which price is above it would be a guess.
  // "... engulfing in an uptrend", "after a downtrend", "with a long wick", "at support", "a big bullish
  // engulfing": a qualifier the four conditions don't say, asked about rather than dropped.
  const qualified =
    /^\s*(?:in\s+an?\s+\w+|after|following|with|at|near|on\s+(?:high|low|big|strong)|inside)\b/.exec(
      ctx.after ?? '',
    ) ?? /\b(?:big|huge|large|strong|small|massive|clean|nice|proper|real)\s*$/.exec(ctx.before ?? '');
  if (qualified)
    return fail(
      `I read "${ctx.matched?.trim()}" as four conditions on this candle and the one before; I can't add "${qualified[0].trim()}" to it. Say the rest as conditions of their own, for example: a ${g[0]} engulfing candle and RSI below 40.`,
    );
  const placed = /^\s*(?:above|below|over|under)\b/.exec(ctx.after ?? '');
  if (placed)
    return fail(
      `Which price should be ${placed[0].trim()} the line in "${ctx.matched?.trim()} ${placed[0].trim()} ..."? Say it apart, for example: a ${g[0]} engulfing candle and the close above the EMA 200.`,
    );
  const at = (field: 'open' | 'close', ago = 0): Series =>
    ago === 0 ? { kind: 'price', field } : { kind: 'price', field, ago };
  const [over, under] = up ? (['above', 'below'] as const) : (['below', 'above'] as const);
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim()}" read as: the candle before ${up ? 'red' : 'green'}, this one ${up ? 'green' : 'red'}, its body covering the one before (close ${up ? 'above' : 'below'} the open before, open ${up ? 'below' : 'above'} the close before).`,
  );
  return [
    { op: under, left: at('close', 1), right: at('open', 1) },
    { op: over, left: at('close'), right: at('open') },
    { op: over, left: at('close'), right: at('open', 1) },
    { op: under, left: at('open'), right: at('close', 1) },
  ];
}

export const EARLIER_RULES: readonly TermRule[] = [
  { pattern: ENGULFING, build: engulfing },
  { pattern: RUN_THEN_TURN, build: runThenTurn },
  { pattern: IN_A_ROW, build: (g, ctx) => inARow(g, ctx) },
  {
    pattern: MOVE_OVER,
    build: (g, ctx): Condition => {
      const [verb = '', percent, count, unit = ''] = g;
      const p = Number(percent);
      if (!(p > 0 && p < 90)) return fail(`A move must be between 0% and 90%, not ${percent}%.`);
      const down = /^(?:drop|dump|fall|fell|down|goes\s+down|sink)/.test(verb);
      const ago = candlesIn(count === undefined ? 1 : Number(count), unit, ctx);
      const times = Math.round((down ? 1 - p / 100 : 1 + p / 100) * 10000) / 10000;
      ctx.scan?.assumed.push(
        `"${ctx.matched?.trim() ?? 'move'}" read as: the close at least ${p}% ${down ? 'below' : 'above'} the close ${ago} candle${ago === 1 ? '' : 's'} before.`,
      );
      return {
        op: down ? 'below' : 'above',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'price', field: 'close', ago },
        times,
      };
    },
  },
  {
    pattern: EARLIER,
    build: earlierPrice,
  },
];
