// The offline classifier: deterministic patterns decide what free text asks for, so every intent works
// without a model, and it is the fallback when the model errors, times out or answers garbage. A request
// without a name ("backtest it", "delete it") targets the strategy the conversation last talked about.
import { namesCoin } from '../../src/strategy/parse/market.ts';
import { correctTypos } from '../../src/strategy/parse/typos.ts';
import { readConfirmation } from './answer.ts';
import { pairsOf } from './pairs.ts';
import type { Intent } from './schema.ts';
import { smallTalkReply, withoutPleasantry } from './smalltalk.ts';
import { timerangeOf } from './timerange.ts';

// Runs of candles name no indicator but describe a strategy: "3 red candles in a row then buy the next green one".
const INDICATOR =
  /\b(sma|ema|wma|rsi|macd|bollinger|stochastic|adx|atr|cci|mfi|vwap|obv|donchian|moving averages?|golden cross|death cross|crossover|cross(es)?|(?:green|red)\s+(?:candles?|bars?|ones?)|(?:candles?|closes?|bars?)\s+in\s+a\s+row)\b/i;
/** A rule for opening a trade: "buy X when ...", "short sol after ...", or a message that starts with one. */
const TRADE_RULE =
  /^(?:please\s+|pls\s+)?(?:buy|sell|long|short|go\s+long|go\s+short|enter)\b|\b(?:buy|sell|long|short|enter)\s+(?:\S+\s+){0,6}?(?:when|if|once|whenever|after|on\s+(?:a|the|every))\b/i;
/** Talk about trading, not a rule: plans, questions, reminders, thanks. */
const NOT_A_RULE =
  /\b(?:should|i'?ll|i\s+will|i'?m|i\s+am|remind|thanks|thank\s+you|long\s+live|gonna|going\s+to)\b/i;
const EDIT_VERB =
  /^(?:please\s+|can you\s+|could you\s+|now\s+)?(make|change|set|switch|use|only|add|remove|drop|delete|erase|increase|decrease|raise|lower|tighten|loosen|widen|move|put|update)\b/i;
const EDITABLE =
  /\b(stop|stop-?loss|sl|take[- ]?profit|tp|roi|target|timeframe|\d+\s*(?:m|h|d|min|hour|day)s?|hourly|daily|chart|candles?|pairs?|btc|eth|sol|bnb|xrp|ada|doge|dot|avax|link|ltc|trx|[a-z0-9]{2,8}\/[a-z]{3,5}|ema|sma|wma|rsi|instead|enter|exit|buy|sell|trailing)\b/i;
const STOP_NAMES = new Set(['stop-loss', 'take-profit', 'trailing-stop', 'follow-up', 'e-mail']);
/** A field and its new value without a verb: "stop 3%", "take profit 10%", "timeframe 4h". */
const FIELD_VALUE =
  /^(?:the\s+|and\s+)?(?:stop(?:[- ]?loss)?|sl|take[- ]?profit|tp|roi|profit target|target|timeframe|trailing stop)\b(?:\s+(?:at|to|of|is|=|:))?\s*\d+(?:\.\d+)?\s*(?:%|m|h|d|min|hours?|days?)?\b/i;
const DELETE_VERB =
  /^(?:please\s+|can you\s+|could you\s+|now\s+)?(?:delete|remove|trash|get rid of|drop|erase|take out)\s+/i;
/** "no more rsi", "without the take profit": a part of the strategy said with "no" or "without". */
const NEGATED_PART =
  /^(?:please\s+|now\s+)?(?:no\s+more|no|without)\s+(?:the\s+|any\s+|its\s+)?(?:\d+(?:\.\d+)?\s*%\s*)?(?:sma|ema|wma|rsi|macd|bollinger(?: bands?)?|bb|stoch(?:astic)?|adx|atr|cci|mfi|obv|vwap|donchian|moving averages?|mas?|conditions?|filters?|take[- ]?profit|tp|roi|profit target|trailing(?:[- ]?stop(?:[- ]?loss)?)?|stop(?:[- ]?loss)?|stoploss|sl)\b/i;
/** Questions ask about something; they never describe a strategy to create. */
const QUESTION = /\?\s*$|^(?:what|how|why|is|does|can)\b/i;
/** Figures of a backtest result: a question about one is about the latest result. */
const RESULT_WORDS =
  /\b(?:win ?rate|winrate|wins|losses|winners|losers|(?:winning|losing) trades|how many trades|number of trades|trade count|draw ?downs?|(?<!take[- ]?)profit(?: factor)?|returns?|pnl|p&l|sharpe|sortino|calmar|expectancy|results?|performance)\b/i;
/** A question that isn't about the result, even with a result word in it. */
const GENERAL_QUESTION =
  /^(?:what|how) (?:is|are|does|do) (?:an? |the )?(?:rsi|macd|ema|sma|wma|bollinger|stochastic|adx|atr|cci|mfi|vwap|trailing stop|stop[- ]?loss|take[- ]?profit)\b|\bwhat is (?:an? )\b/i;
// A command's own question (/delete's "Delete ...?") is answered with its buttons, not typed words.
const NOTHING_WAITING =
  'Nothing is waiting for an answer. If a message above asks with buttons, press one (in the console, type its number); otherwise say what you would like next, for example "backtest it last 6 months", or type /help.';

/** True when `rest` (what follows a delete verb) is the strategy itself, not a part of it. */
function namesTheStrategy(rest: string, names: string[]): boolean {
  const object = rest
    .toLowerCase()
    .replace(/\bplease\b/g, ' ')
    .replace(/[.!]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const name = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const target = `(?:it|this|that|this one|that one|the last one|(?:(?:the|this|that|my) )?strategy${name ? `|(?:the )?(?:${name})(?: strategy)?|strategy (?:${name})` : ''})`;
  return new RegExp(`^${target}$`).test(object);
}

/** Damerau-Levenshtein distance, for the typos a trader makes in "backtest". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** "backtest", "back-test", or a near miss of it ("bactest", "backtset") as the first word. */
function asksBacktest(t: string): boolean {
  if (/\bback\s?-?test/i.test(t)) return true;
  const word = /^(?:please\s+)?([a-z]+)\b/i.exec(t)?.[1]?.toLowerCase() ?? '';
  return word.startsWith('b') && word.length >= 6 && distance(word, 'backtest') <= 2;
}

/** Kebab-case strategy names in the text, date phrases and known hyphenated words removed. */
export function strategyNames(text: string): string[] {
  return [...text.toLowerCase().matchAll(/(?<![\w/-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w/-])/g)]
    .map((m) => m[0])
    .filter((w) => /[a-z]/.test(w) && !STOP_NAMES.has(w) && !/^\d+-\d+$/.test(w));
}

const first = (names: string[]) => names[0] ?? null;

/** Classifies one message; `now` only locates date phrases (the backtest anchors them to the data). */
export function classifyIntent(text: string, now: Date = new Date()): Intent {
  const t = withoutPleasantry(text.trim());
  const lower = t.toLowerCase();
  const smalltalk: Intent = { tool: 'smalltalk', args: { reply: null } };
  if (!t) return smalltalk;
  // Thanks, "ok", "hi": answered here, so they need no model.
  const chat = smallTalkReply(t);
  if (chat) return { tool: 'smalltalk', args: { reply: chat } };
  // A yes or no reaches here only when no question waits (a waiting one takes it first).
  if (readConfirmation(t) !== null) return { tool: 'smalltalk', args: { reply: NOTHING_WAITING } };

  if (
    /^(help|\?|commands|menu|what can (you|i) do\??|how does (this|it) work\??)$/i.test(t) ||
    /^\/?help\b/i.test(t)
  )
    return { tool: 'help', args: {} };

  if (/\b(list|show|see|what are|which are)\b.*\bstrategies\b/i.test(t) || /^(my )?strategies\??$/i.test(t))
    return { tool: 'list_strategies', args: {} };

  const names = strategyNames(t);
  // Only the strategy itself is deleted: "remove rsi from it" changes it (an edit below).
  const deleteVerb = DELETE_VERB.exec(t);
  if (deleteVerb) {
    const object = t.slice(deleteVerb[0].length);
    if (namesTheStrategy(object, names)) return { tool: 'delete_strategy', args: { name: first(names) } };
    // "delete all my strategies" is no edit of one; anything else removed is part of a strategy.
    if (/\bstrategies\b/i.test(object)) return smalltalk;
    return { tool: 'edit_strategy', args: { name: first(names), change: t } };
  }
  if (NEGATED_PART.test(t)) return { tool: 'edit_strategy', args: { name: first(names), change: t } };

  if (/\bcompare\b|\b(vs\.?|versus)\b/i.test(t)) {
    const [a = null, b = null] = names;
    return { tool: 'compare_strategies', args: { first: b ? a : null, second: b ?? a } };
  }

  if (
    asksBacktest(t) ||
    /^(?:please\s+)?(?:run|test|try)\s+(?:it|this|that|[a-z0-9]+-[a-z0-9-]+)\b/i.test(t)
  ) {
    // "backtest it on ETH/USDT": the pairs go, so the rest reads as a period (or none).
    const named = pairsOf(t);
    const { rest, timerange } = timerangeOf(named.rest, names, now);
    return {
      tool: 'backtest_strategy',
      args: { name: first(strategyNames(rest)), timerange, pairs: named.pairs },
    };
  }

  if (
    /\bwhy\b|\bexplain\b|\bany good\b|\bso (few|many|little|bad)\b|\b(how|what) did (it|that|this)\b|\bhow (did|does|has|is) \S+(?: strategy)? (do|doing|perform|performing|done|performed|go|going)\b|\bis (it|this|that) (good|bad|profitable|worth)\b|\bwhat do (the|these) (results|numbers) mean\b|\bhow (good|bad) is\b/i.test(
      t,
    )
  ) {
    return { tool: 'explain_result', args: { name: first(names), question: t } };
  }

  if (
    /^(?:please\s+)?(show|display|open|view)\b/i.test(t) ||
    /^what does (it|this|that|[a-z0-9-]+) look like/i.test(t)
  ) {
    return { tool: 'show_strategy', args: { name: first(names) } };
  }

  const creates = /^(?:please\s+)?(create|new|build|make (?:me )?(?:a|an)|i want a|give me a)\b/i.test(t);
  if (
    !creates &&
    (((EDIT_VERB.test(t) || /\binstead\b/i.test(lower)) && EDITABLE.test(t)) || FIELD_VALUE.test(t))
  ) {
    return { tool: 'edit_strategy', args: { name: first(names), change: t } };
  }

  // "what was the win rate?", "how many trades?": about the latest result, as "is it any good?" is.
  if (!creates && QUESTION.test(t) && RESULT_WORDS.test(t) && !GENERAL_QUESTION.test(t))
    return { tool: 'explain_result', args: { name: first(names), question: t } };

  // "bolinger band touch" names an indicator too: the parser reads the typo and says so.
  const namesIndicator = INDICATOR.test(t) || INDICATOR.test(correctTypos(t).text);
  if ((creates || namesIndicator) && !QUESTION.test(t))
    return { tool: 'create_strategy', args: { description: t } };
  // "buy SOL on 1d when price is down 20% from its 14 day high": no indicator named, but a rule for trading
  // a coin; whatever /new would read (or ask about) is read here the same way. Talk about trading ("I'll
  // buy btc tomorrow", "should I sell my eth") is no rule.
  if (!QUESTION.test(t) && TRADE_RULE.test(t) && !NOT_A_RULE.test(t) && namesCoin(t.toLowerCase()))
    return { tool: 'create_strategy', args: { description: t } };
  return smalltalk;
}
