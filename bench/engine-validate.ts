// Prints the warm engine's latency: server start, ping round trip, a backtest round trip, and the
// validation pipeline's static policy plus load check (no smoke backtest) over 50 rendered strategies,
// p50/p95 as the client sees it and as the engine's own stage timings report it.
// Usage: npx tsx bench/engine-validate.ts [strategies=50]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readBacktestReply } from '../freqtrade/client/replies.ts';
import { type Verdict, validateCode } from '../freqtrade/client/verdict.ts';
import { renderStrategy } from '../freqtrade/render.ts';
import { engineRequest } from '../freqtrade/runner.ts';
import { loadConfig } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { parseStrategyText } from '../src/strategy/parse/offline-parser.ts';
import { strategyClassName } from '../src/strategy/spec.ts';
import { startLocalEngineServer } from '../test/support/engine-server.ts';

const StagesSchema = z.array(z.object({ stage: z.string(), ms: z.number() }));
const count = Number(process.argv[2] ?? 50);
const engine = startLocalEngineServer('bench-engine');
const { server, root: dir } = engine;
const ft = {
  ...loadConfig({}).freqtrade,
  marketDataDir: engine.paths.datadir,
  marketsPath: engine.paths.marketsPath,
};

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const line = (label: string, xs: number[]) =>
  `${label.padEnd(40)} p50 ${q(xs, 0.5).toFixed(0).padStart(6)} ms   p95 ${q(xs, 0.95).toFixed(0).padStart(6)} ms   (n=${xs.length})`;

/** Deterministic descriptions the offline parser reads: moving-average crosses and RSI bands. */
function descriptions(n: number): string[] {
  const out: string[] = [];
  const pairs = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP'];
  const timeframes = ['15m', '1h', '4h'];
  for (let i = 0; out.length < n; i++) {
    const pair = pairs[i % pairs.length];
    const tf = timeframes[i % timeframes.length];
    out.push(
      i % 2 === 0
        ? `${pair} ${i % 4 === 0 ? 'SMA' : 'EMA'} ${5 + (i % 15)}/${30 + i} cross on ${tf} with a ${2 + (i % 8)}% stop`
        : `buy ${pair} when RSI(${7 + (i % 14)}) is below ${20 + (i % 15)} and sell when it is above ${65 + (i % 15)} on ${tf}`,
    );
  }
  return out;
}

let began = performance.now();
const ready = await server.ping();
console.log(`engine server start (imports Freqtrade once)  ${(performance.now() - began).toFixed(0)} ms`);
console.log(`  network in children: ${ready.network}; validate available: ${ready.validate}`);

const pings: number[] = [];
for (let i = 0; i < 20; i++) {
  began = performance.now();
  await server.ping();
  pings.push(performance.now() - began);
}
console.log(line('ping round trip', pings));

const golden = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'golden', 'BtcSma20501h.py');
const backtests: number[] = [];
for (let i = 0; i < 5; i++) {
  const request = engineRequest(
    {
      backtestId: 'b',
      className: 'BtcSma20501h',
      code: '',
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      timerange: '20240101-20240701',
    },
    {
      strategyPath: golden,
      datadir: ft.marketDataDir,
      marketsPath: ft.marketsPath,
      resultsDir: path.join(dir, `bt-${i}`),
    },
    ft,
  );
  began = performance.now();
  readBacktestReply(await server.send('backtest', request));
  backtests.push(performance.now() - began);
}
console.log(line('backtest BTC/USDT 1h 6 months (warm)', backtests));

const roundTrips: number[] = [];
const engineMs: number[] = [];
let rejected = 0;
for (const text of descriptions(count)) {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  const className = strategyClassName(parsed.name);
  const code = renderStrategy(parsed.spec, { className, name: parsed.name });
  writeFileSync(path.join(dir, `${className}.py`), code);
  began = performance.now();
  let verdict: Verdict;
  try {
    verdict = await validateCode(server, code, {
      datadir: ft.marketDataDir,
      marketsPath: ft.marketsPath,
      smoke: false,
    });
  } catch (err) {
    if (err instanceof AppError) {
      console.log(`validate: ${err.userMessage}`);
      break;
    }
    throw err;
  }
  roundTrips.push(performance.now() - began);
  if (!verdict.accepted) rejected++;
  const stages = StagesSchema.safeParse(verdict.stages);
  engineMs.push(stages.success ? stages.data.reduce((sum, stage) => sum + stage.ms, 0) : Number.NaN);
}
if (roundTrips.length > 0) {
  console.log(line('validate static+load, round trip', roundTrips));
  console.log(line('validate static+load, engine stages', engineMs));
  console.log(`  ${roundTrips.length} strategies, ${rejected} rejected (target: p95 under 1500 ms)`);
}
await engine.stop();
