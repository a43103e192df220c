// The period of a backtest request, as typed. A range the date reader understands is passed on as its
// words ("last 6 months"); words that plainly name a period it can't read ("the year before the halving")
// are passed on too, so the backtest answers "I can't read the period …" instead of quietly running the
// default range. Only a request that names no period at all gets the default.
import { isAppError } from '../../src/errors.ts';
import { parseDateRange } from '../../src/services/timerange.ts';

/** Words that only turn up in a request when it names a period. */
const PERIOD_WORD =
  /\b(?:(?:19|20)\d{2}|\d{6,8}|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|days?|weeks?|months?|years?|quarters?|today|yesterday|tomorrow|ytd|since|until|till|between|ago|next|last|past|previous|recent(?:ly)?|halving|bull|bear|crash|rally|summer|winter|spring|autumn|seasons?|weekends?|christmas|period|dates?)\b/i;

/** The longest a period may be (the backtest tool's input schema). */
const MAX_PERIOD = 60;

/** What follows the backtest verb and its target: "backtest btc-x next year" -> "next year". */
function afterTarget(text: string, names: string[]): string {
  let rest = text
    .replace(/^(?:please\s+|can you\s+|could you\s+|now\s+)*/i, '')
    .replace(/^(?:back[\s-]?test\w*|\S+)\s*/i, '');
  for (const name of names) rest = rest.replace(new RegExp(`\\b${name}\\b`, 'i'), ' ');
  return rest
    .replace(/^\s*(?:(?:it|this|that|this one|that one|again|the strategy|strategy|please)\b\s*)*/i, '')
    .replace(/[\s.!?]+$/, '')
    .trim();
}

/**
 * The period a backtest request names: the words of a readable range, the words of an unreadable one,
 * or null when it names none. `rest` is the text without a readable range (for finding the name).
 */
export function periodOf(text: string, names: string[], now: Date): { rest: string; period: string | null } {
  const words = afterTarget(text, names);
  let range: ReturnType<typeof parseDateRange>;
  try {
    range = parseDateRange(text, now);
  } catch (err) {
    // A range that can't be ("2023 and 2025", reversed dates): the backtest says why, in its own words.
    if (isAppError(err) && err.code === 'BAD_TIMERANGE')
      return { rest: text, period: words.slice(0, MAX_PERIOD) };
    throw err;
  }
  if (range) return { rest: text.replace(range.matched, ' '), period: range.matched };
  if (!PERIOD_WORD.test(words)) return { rest: text, period: null };
  return { rest: text, period: words.slice(0, MAX_PERIOD) };
}
