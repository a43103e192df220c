// Text for titles and legends. Values are Freqtrade's; only their spelling is decided here.

const DAY_MS = 86_400_000;

/** "2024-01-31" for a UTC timestamp in ms, or "2024-01-31 12:00" when it is not at midnight. */
export function utcMoment(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "+12.50" / "−41.94": a signed amount with a true minus sign, as on a statement. */
export function signedAmount(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals);
  if (Number(text) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** "+4.19 %" / "−4.19 %" for a ratio (0.0419). */
export function signedPercent(ratio: number): string {
  return `${signedAmount(ratio * 100, 2)} %`;
}
