// Prints how long one chart takes to draw (result JSON to PNG bytes), p50/p95 over N renders of the
// checked-in Freqtrade result, for the equity chart and a two-strategy comparison.
// Usage: npx tsx bench/chart.ts [renders=20]
import { readFileSync } from 'node:fs';
import { equitySeries, renderCompareChart, renderEquityChart } from '../freqtrade/chart.ts';

const renders = Number(process.argv[2] ?? 20);
const fixture = new URL('../test/fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const result: unknown = JSON.parse(readFileSync(fixture, 'utf8'));
const strategyClass = 'BtcSma20501h';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(label: string, draw: () => Promise<Uint8Array>): Promise<void> {
  const first = performance.now();
  const bytes = await draw();
  const cold = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    const t0 = performance.now();
    await draw();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(8)} renders=${renders}  p50=${ms(percentile(times, 50))}  p95=${ms(percentile(times, 95))}  ` +
      `first=${ms(cold)}  png=${(bytes.byteLength / 1024).toFixed(1)} KiB`,
  );
}

await measure('equity', () => renderEquityChart({ result, strategyClass, title: 'BTC SMA 20/50 · 1h' }));
await measure('compare', () =>
  renderCompareChart({
    title: 'Compare',
    series: [
      { name: 'a', equity: equitySeries(result, strategyClass) },
      { name: 'b', equity: equitySeries(result, strategyClass) },
    ],
  }),
);
