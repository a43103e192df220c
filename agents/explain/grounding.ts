// The check behind "every number in an explanation comes from the stored result": finds the numbers in a
// reply that no figure of the backtest summary accounts for, however it was rounded or shown as a percent.
import type { BacktestSummary } from '../../freqtrade/result.ts';

const NUMBER = /(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?!\w)/g;

function figures(summary: BacktestSummary): number[] {
  const values: number[] = [];
  for (const v of Object.values(summary))
    if (typeof v === 'number' && Number.isFinite(v)) values.push(v, v * 100);
  // Dates of the period ("from 2024-01-01") are figures of the result too.
  for (const d of [summary.periodStart, summary.periodEnd]) {
    for (const part of d.slice(0, 10).split('-')) values.push(Number(part));
  }
  return values;
}

function decimals(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/**
 * The numbers in `reply` that are not a figure of `summary` (as stored, or times 100 for a percentage,
 * at the precision the reply shows; sign ignored). Text in `ignore` (the strategy name, its timeframe and
 * pairs, the timerange) is removed first: "btc-sma-20-50-1h" names a strategy, it doesn't state a figure.
 */
export function ungroundedNumbers(
  reply: string,
  summary: BacktestSummary,
  ignore: readonly string[] = [],
): string[] {
  let text = reply;
  for (const s of [...ignore].filter(Boolean).sort((a, b) => b.length - a.length)) {
    text = text.replace(new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi'), ' ');
  }
  const known = figures(summary);
  const out: string[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const raw = m[0];
    const n = Math.abs(Number(raw.replace(/,/g, '')));
    const dec = decimals(raw);
    const grounded = known.some((v) => Math.abs(Number(v.toFixed(dec))) === n);
    if (!grounded) out.push(raw);
  }
  return out;
}
