// Our own bias check, beside Freqtrade's: a negative shift (`close.shift(-1)`) written straight into a
// strategy's entry or exit conditions reads a later candle. Freqtrade's lookahead analysis compares
// indicator columns and signals, and does not flag a shift written inline in the condition, so we read
// the code's populate_entry/exit methods (interface 2: buy/sell; generated code: its condition lists).

const SIGNAL_METHODS =
  /^(\s*)def\s+(?:populate_(?:entry|exit|buy|sell)_trend|gentrade_(?:entry|exit)_conditions)\s*\(/;
// A column as written (dataframe["close"], df.close) and its shift by a negative number of candles.
const NEGATIVE_SHIFT =
  /[A-Za-z_]\w*(?:\.\w+|\[["'][^"'\]]*["']\])*\.shift\(\s*(?:periods\s*=\s*)?-\s*\d+\s*\)/g;

/** The negative shifts in the code's entry and exit methods, as written ("dataframe['close'].shift(-1)"). */
export function negativeShifts(code: string): string[] {
  const found: string[] = [];
  let indent: number | null = null;
  for (const line of code.split('\n')) {
    const def = SIGNAL_METHODS.exec(line);
    if (def) {
      indent = def[1]?.length ?? 0;
      continue;
    }
    if (indent === null || line.trim() === '' || line.trim().startsWith('#')) continue;
    // A line back at the method's own indentation (or less) ends its body.
    if (line.length - line.trimStart().length <= indent) {
      indent = null;
      continue;
    }
    for (const m of line.matchAll(NEGATIVE_SHIFT)) found.push(m[0]);
  }
  return [...new Set(found)];
}
