// Offline parser: the story around a request. Traders often say why before what ("I work a day job so I
// can't watch charts. I want something low maintenance: ..."); a sentence that names nothing a strategy
// is made of (no indicator, no trade action, no coin, no candle size, no number) is the story, and the
// readers never see it, so its words ("low", "not", "both") can't be taken for conditions.
import { namesCoin } from './market.ts';

const STRATEGY_PART =
  /\d|%|\b(?:sma|ema|wma|ma|moving\s+averages?|rsi|macd|bollinger|bb|bands?|stoch\w*|atr|adx|di|cci|mfi|obv|vwap|donchian|channel|volume|vol|price|close[sd]?|open|highs?|lows?|candles?|bars?|cross\w*|breakout|breakdown|trend\w*|buy\w*|sell\w*|long\w*|short\w*|enter\w*|entry|entries|exit\w*|cover\w*|stop\w*|sl|tp|take|profit|target|trail\w*|roi|leverage|futures|perps?|perpetuals?|spot|daily|hourly|weekly|minute|hour|day|week|timeframe|oversold|overbought|golden|death|turtle|squeeze|reversion|momentum|scalp\w*|pairs?|coins?|above|below|over|under|max|trades?|positions?|filter|confirm\w*)\b/i;

// A sentence ends at ".", "!" or "?" before a space and a letter (never inside "2.5%").
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Za-z"'(])/;

/** The text without the sentences that name no part of a strategy; the text itself when that is all of it. */
export function withoutStory(text: string): string {
  const sentences = text.split(SENTENCE_END);
  if (sentences.length < 2) return text;
  const kept = sentences.filter((s) => STRATEGY_PART.test(s) || namesCoin(s));
  return kept.length === 0 ? text : kept.join(' ');
}
