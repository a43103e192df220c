// Offline parser, the first look at a request: whether it describes a strategy to build at all. Empty or
// too long, asking to take something out, a question about trading, or a rule the spec language can't
// hold ("unless", "even if") each get a sentence back before any reader runs.
import { EXAMPLE } from './guards.ts';
import { namesCoin } from './market.ts';
import { fail } from './text.ts';

// "what does macd stand for", "which timeframe is best for rsi": a question about trading, not a strategy.
const ASKING =
  /^\s*(?:what|how|why|which|who|where|does|do|is|are|should|explain|teach|tell\s+me|can\s+you\s+(?:explain|tell))\b/i;
const STRATEGY_WORDS = /\d|\b(?:buy|sell|long|short|enter|exit|make|build|create|code|write)\b/i;
// Rules the spec can't hold, which "and" would turn around: asked about, never read.
// "skip if adx under 20", "stay out below the 200 ema", "adx < 20 = no trade": when not to trade.
const EXCEPTIONS =
  /\b(?:unless|even\s+if|except(?:\s+when|\s+if)?|apart\s+from|avoid(?:s|ing)?|skip(?:s|ping)?\s+(?:it\s+|trades?\s+|entries\s+)?(?:if|when|while|below|above|under|over)|(?<!\b(?:otherwise|else)\s+)stay(?:s|ing)?\s+(?:out|flat|away)|no\s+trad(?:e|es|ing)|don'?t\s+trade)\b/i;
// "drop the rsi" asks to take something out of a strategy; it describes none to build.
// So does a part named after "no", "no more" or "without" ("no more rsi", "without the take profit") when
// that is the whole text: a description may say "no" or "without" along the way.
const REMOVAL =
  /^\s*(?:please\s+)?(?:(?:delete|remove|drop|erase|get\s+rid\s+of|take\s+out)\b|(?:no\s+more|no|without)\s+(?:the\s+|any\s+|its\s+)?(?:\d+(?:\.\d+)?\s*%\s*)?(?:sma|ema|wma|rsi|macd|bollinger|bb|stoch\w*|adx|atr|cci|mfi|obv|vwap|donchian|moving\s+averages?|conditions?|filters?|take[- ]?profit|tp|roi|trailing(?:[- ]?stop(?:[- ]?loss)?)?)(?:\s+(?:conditions?|filters?|rules?))?(?:\s+(?:from|in|on)\s+(?:it|the\s+\w+))?\s*[.!]*$)/i;

// Markets that are not crypto: stocks and their tickers, stock indices and index futures, forex pairs,
// metals and oil. The bot trades the exchange's crypto pairs only; reading on would build a strategy for
// a default crypto pair the trader never asked for.
const FIAT = 'eur|usd|gbp|jpy|aud|nzd|cad|chf|xau|xag';
const TRADITIONAL = new RegExp(
  [
    // "apple stock" too, but not "stock settings" (the defaults).
    String.raw`\b(?:stocks|stock(?!\s+(?:settings?|params?|parameters|values?|defaults?|periods?|config))|shares|equit(?:y|ies)|forex|etfs?|earnings)\b`,
    String.raw`\b(?:${FIAT})\s*[/]?\s*(?:${FIAT})\b`,
    String.raw`\b(?:tsla|aapl|nvda|msft|amzn|googl?|mstr|nflx|spy|qqq|spx|ndx|tesla|nvidia|microsoft|amazon|nasdaq|s\s*&\s*p(?:\s*500)?|dow\s+jones|dax|ftse|nikkei)\b`,
    String.raw`\b(?:es|nq|ym|rty|cl)\s+(?:futures?|minis?|contracts?)\b|\be-?minis?\b`,
    String.raw`\b(?:gold|silver|crude|oil|wti|brent)\b(?!\s*(?:en|cross|bullet|token))`,
  ].join('|'),
  'i',
);

// One earlier candle's price ("the prev high", "yesterday's close"): the spec compares the current candle
// only, and reading on would drop "prev" and compare the close with its own candle's high.
/** Stops with a sentence when the text is not a strategy description the readers should try. */
export function refuseNonStrategy(text: string, maxLength: number): void {
  if (text.trim() === '') fail(`Describe the strategy, for example: ${EXAMPLE}.`);
  if (REMOVAL.test(text)) {
    fail(
      `That asks to take something out of a strategy; it doesn't describe one to build. Describe the strategy, for example: ${EXAMPLE}.`,
    );
  }
  if (text.length > maxLength) {
    fail('That is too long for me to read; describe the strategy in one or two sentences.');
  }
  if (ASKING.test(text) && !STRATEGY_WORDS.test(text)) {
    fail(`That reads as a question rather than a strategy to build; describe one, for example: ${EXAMPLE}.`);
  }
  // Only where no crypto coin is named: "coming from equities, run it on BTC" is a crypto request.
  const market = namesCoin(text) ? null : TRADITIONAL.exec(text);
  if (market) {
    fail(
      `"${market[0]}" is not a crypto market: I build strategies for the exchange's crypto pairs, for example BTC/USDT or ETH/USDT.`,
    );
  }
  const exception = EXCEPTIONS.exec(text);
  if (exception) {
    fail(
      `I can't read "${exception[0]}" rules; say when to trade as conditions that must hold, for example: buy when RSI is below 30 and MACD is above 0.`,
    );
  }
}
