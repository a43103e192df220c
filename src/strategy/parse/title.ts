// Offline parser: the indicators a request names first as its title ("cci + adx: cci above 100 and adx
// above 25", "sol 4h macd, buy when the histogram flips positive", "mfi + rsi combo: both under 30"). The
// title says which indicators the conditions use; it is not a condition of its own, so it is read as a
// heading when every indicator in it comes back in the conditions after it.

const INDICATOR = String.raw`(?:macd|rsi|cci|adx|mfi|obv|atr|vwap|donchian|ema|sma|wma|volume|stoch(?:astic)?|bollinger(?:\s+bands?)?|bbands?|bb)`;
// Bounded (a title names a few indicators, each with at most a few settings): untrusted text must not make
// the title's pattern backtrack without end.
const SETTINGS = String.raw`(?:\s{0,3}\(?\s{0,3}\d+(?:\s{0,3}[,/]\s{0,3}\d+){0,3}\s{0,3}\)?)?`;
const JOIN = String.raw`(?:\s{0,3}(?:\+|&|\/|\band\b|\bplus\b|\bwith\b)\s{0,3}|\s{1,3})`;
const KIND = String.raw`(?:(?:trend|momentum|ride|combo|confluence|dual|double|strat\w*|setup|system|play|scalp(?:er)?|on|for|the|chart)\s*)*`;
// "can u make me a macd strat for sol on the 4 hour chart. buy when ...": the request around the title.
// "obv breakout - when obv breaks ..." is a title too, but "donchian 20 breakout on btc 4h, ..." is the
// signal itself: a breakout heads the text only before a colon or a dash.
const ASK = String.raw`(?:quick(?:\s+one)?\s*[-:,]?\s*)?(?:(?:(?:can|could|would)\s+(?:u|you)\s+(?:pls\s+|please\s+)?|pls\s+|please\s+|i\s+(?:want|need)\s+)?(?:make|build|create|code|write|give|do)?\s*(?:me\s+|us\s+)?(?:an?\s+|the\s+|some\s+)?)`;
const TITLE = new RegExp(
  String.raw`^(?:\s|,|&|\band\b)*${ASK}((?:${INDICATOR}${SETTINGS}${JOIN}){0,4}${INDICATOR}${SETTINGS})\s*(?:${KIND}(?::|,|\.|\s-+\s|\s*—)|${KIND}(?:breakout|breakdown)\s*(?::|\s-+\s|\s*—))`,
);
// What else names each indicator in the conditions: MACD's histogram and signal, the bands.
const ALSO: Record<string, RegExp> = {
  macd: /\b(?:macd|histogram|hist|signal(?:\s+line)?)\b/,
  bollinger: /\b(?:bollinger|bbands?|bb|band|bands|%\s*b)\b/,
  stoch: /\b(?:stoch\w*|%\s*[kd])\b/,
};

function family(word: string): string {
  if (/^(?:bollinger|bb)/.test(word)) return 'bollinger';
  if (word.startsWith('stoch')) return 'stoch';
  return word;
}

/**
 * `text` without its title when each indicator of the title is used again after it; "X and Y: both ..."
 * names each ("x and y both ..."). The text as it was otherwise. `said` is the whole text as written
 * (same positions): an indicator another reader already took after the title ("when volume is 2x avg")
 * is used there too.
 */
export function withoutTitle(text: string, said = text): string {
  const m = TITLE.exec(text);
  if (m === null || m[1] === undefined) return text;
  const rest = text.slice(m[0].length);
  const restSaid = said.slice(m[0].length);
  const named = [...m[1].matchAll(new RegExp(INDICATOR, 'g'))].map((w) => family(w[0]));
  if (/^\s*(?:are\s+)?both\b/.test(rest) && named.length === 2) return `${named.join(' and ')} ${rest}`;
  const used = (f: string) => (ALSO[f] ?? new RegExp(String.raw`\b${f}\b`)).test(restSaid);
  if (!/\b(?:buy|long|sell|short|enter|entry|exit|when|if|above|below|over|under|cross\w*|[<>])/.test(rest))
    return text;
  return named.every(used) ? `${' '.repeat(m[0].length)}${rest}` : text;
}
