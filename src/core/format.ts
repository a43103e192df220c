// Number formatting for cards. Inputs are Freqtrade's own figures; this only decides how they look.

export function pct(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(2)}%`;
}

export function fixed(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

export function money(value: number | null, currency: string): string {
  return value === null ? 'n/a' : `${value.toFixed(2)} ${currency}`;
}

/** Freqtrade reports run time in whole seconds, so 0 means "under a second". */
export function seconds(value: number): string {
  return value < 1 ? '<1 s' : `${Math.round(value)} s`;
}
