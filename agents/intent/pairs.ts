// The pairs a backtest request names ("backtest it on ETH/USDT", "for eth/usdt and sol/usdt"), written
// as BASE/QUOTE with a quote currency exchanges list, so "sma/ema" or "20/50" is never taken for one.
// They are passed on as typed; the backtest checks them against the market data and says so if unknown.

const QUOTES = 'usdt|usdc|fdusd|busd|tusd|dai|usd|eur|btc|eth|bnb';
const PAIR = `[a-z][a-z0-9]{1,11}/(?:${QUOTES})(?::(?:${QUOTES}))?`;
const PHRASE = new RegExp(
  `(?:\\b(?:on|for|with|using|over|across|against)\\s+)?(?:the\\s+)?(?<![\\w/])(${PAIR}(?:\\s*(?:,|and|&|\\+)\\s*${PAIR})*)(?![\\w/])(?:\\s+pairs?)?`,
  'gi',
);

/** The pairs named, in order without repeats (null when none), and the text without their phrase. */
export function pairsOf(text: string): { rest: string; pairs: string[] | null } {
  const pairs: string[] = [];
  const rest = text.replace(PHRASE, (_whole, list: string) => {
    for (const p of list.match(new RegExp(PAIR, 'gi')) ?? []) {
      const pair = p.toUpperCase();
      if (!pairs.includes(pair)) pairs.push(pair);
    }
    return ' ';
  });
  return pairs.length > 0 ? { rest, pairs } : { rest: text, pairs: null };
}
