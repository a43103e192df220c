// Offline parser, typos: a word one slip away (a letter missing, extra, wrong or two swapped) from a
// word the readers know is read as that word, and said back ("Read "abvoe" as "above"."). Only words of
// five letters or more are corrected, and never an English word that happens to sit near one
// ("trader" stays "trader").

const VOCABULARY = [
  'above',
  'below',
  'under',
  'cross',
  'crosses',
  'crossover',
  'crossed',
  'crossing',
  'oversold',
  'overbought',
  'ethereum',
  'bitcoin',
  'solana',
  'ripple',
  'cardano',
  'dogecoin',
  'litecoin',
  'chainlink',
  'polkadot',
  'avalanche',
  'trades',
  'short',
  'shorting',
  'stoploss',
  'profit',
  'bollinger',
  'stochastic',
  'average',
  'histogram',
  'candles',
  'breakout',
  'reversion',
  'breaks',
  'hourly',
  'daily',
  'weekly',
  'minute',
  'minutes',
  'hours',
  'signal',
  'volume',
  'momentum',
  'trailing',
  'positions',
  'exponential',
  'simple',
  'moving',
  'donchian',
  'perpetual',
  'futures',
  'rising',
  'falling',
  'bullish',
  'bearish',
  'touches',
  'lower',
  'upper',
  'middle',
  'timeframe',
];
/** English words near a vocabulary word that mean something else and stay as written. */
const KEEP = new Set([
  'shirt',
  'shore',
  'shout',
  'shoot',
  'sport',
  'snort',
  'shorty',
  'trade',
  'trader',
  'traders',
  'traded',
  'candle',
  'signals',
  'profits',
  'averages',
  'breaker',
  'dailies',
  'lowers',
  'lowest',
  'upped',
  'miner',
  'momenta',
  'simply',
  'sample',
  'flowers',
  'power',
  'tower',
  'bellow',
  'blower',
  'slower',
  'slowly',
  'later',
  'latter',
  'water',
  'after',
  'older',
  'order',
  'cover',
  'covers',
  'hover',
  'lover',
  'mover',
  'movie',
  'moves',
  'river',
  'giver',
  'minus',
  'minor',
]);
const KNOWN = new Set(VOCABULARY);

/** Whether `a` and `b` are one edit apart (insert, delete, substitute, or swap two neighbours). */
function oneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    if (diff.length === 1) return true;
    const [i, j] = diff;
    return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) {
    if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  }
  return false;
}

/** The text with each near-miss of a known word replaced, and a line per correction for the card. */
export function correctTypos(text: string): { text: string; corrected: string[] } {
  const corrected: string[] = [];
  // Short slips on the stop: "stop los", "stpo", "stopp".
  const stop = text.replace(
    /\b(stop)\s+los\b|\bstpo\b|\bsotp\b|\bstopp\b/gi,
    (word, kept: string | undefined) => {
      const meant = kept === undefined ? 'stop' : 'stop loss';
      corrected.push(`Read "${word}" as "${meant}".`);
      return meant;
    },
  );
  // Chat shorthand for the two comparison words: "rsi abv 50", "close blw the band".
  const shorthand = stop.replace(/\b(abv|abve|abov|blw|belw|bllw)\b/gi, (word: string) => {
    const meant = word.toLowerCase().startsWith('a') ? 'above' : 'below';
    corrected.push(`Read "${word}" as "${meant}".`);
    return meant;
  });
  const out = shorthand.replace(/[A-Za-z]{5,}/g, (word) => {
    const lower = word.toLowerCase();
    if (KNOWN.has(lower) || KEEP.has(lower)) return word;
    const matches = VOCABULARY.filter((v) => oneEdit(lower, v));
    const only = matches.length === 1 ? matches[0] : undefined;
    if (only === undefined) return word;
    // A plural read as the singular (or back) changes nothing worth saying.
    if (only !== `${lower}s` && lower !== `${only}s`) corrected.push(`Read "${word}" as "${only}".`);
    return only;
  });
  return { text: out, corrected };
}
