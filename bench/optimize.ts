// Prints how long Freqtrade's hyperopt takes in our engine for N epochs on one worker (one engine
// slot, one job): 1 pair x 1 year of 1h (BTC/USDT, 20240101-20250101), the RSI 30/70 golden spec
// with both levels tuned (buy and sell spaces), Sharpe loss, a fixed seed. The time covers the search
// and Freqtrade's backtests of the best parameters on the 70/30 parts; a plain backtest of the range
// runs first (it warms the engine) and is printed beside it. The same hyperopt then runs again in a
// fresh process through the engine's one-shot command (`python -m gentrade_engine hyperopt`, as a
// Docker run does: Python and Freqtrade imported from cold), and its time is printed under the warm
// server's, with whether both found the same best (same seed, same search).
// Usage: npx tsx bench/optimize.ts [epochs=100] [timerange=20240101-20250101]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnEngine } from '../freqtrade/client/process.ts';
import { CommandReplySchema } from '../freqtrade/client/protocol.ts';
import { renderStrategy } from '../freqtrade/render.ts';
import { engineRequest, lastReplyLine } from '../freqtrade/runner.ts';
import { splitRange } from '../src/backtest/robustness/split.ts';
import { strategyClassName } from '../src/strategy/spec.ts';
import { GOLDEN } from '../test/fixtures/golden/specs.ts';
import { startLocalEngineServer } from '../test/support/engine-server.ts';

const epochs = Number(process.argv[2] ?? 100);
const timerange = process.argv[3] ?? '20240101-20250101';
const engine = startLocalEngineServer('bench-optimize');
const { server, root: dir } = engine;
const ft = { ...engine.settings, marketDataDir: engine.paths.datadir, marketsPath: engine.paths.marketsPath };
const golden = GOLDEN.find((g) => g.name === 'sol-rsi-30-70-15m');
if (!golden) throw new Error('missing golden spec');
const className = strategyClassName(golden.name);
const code = renderStrategy(golden.spec, { className, name: golden.name }, ['entry_level_1', 'exit_level_1']);
const strategyPath = path.join(dir, 'tuned.py');
writeFileSync(strategyPath, code);
const request = (resultsDir: string, range: string) =>
  engineRequest(
    { backtestId: 'bench', className, code, timeframe: '1h', pairs: ['BTC/USDT'], timerange: range },
    { strategyPath, datadir: ft.marketDataDir ?? '', marketsPath: ft.marketsPath ?? '', resultsDir },
    { stakeCurrency: 'USDT', startingBalance: 1000 },
  );
const limits = { cpuSeconds: 7200, timeoutSeconds: 7200 };

/** One run of the one-shot command in a fresh process: its reply (the last stdout line). */
function oneShot(request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const settings = { python: ft.python ?? '', path: ft.path, engineDir: ft.engineDir };
  const child = spawnEngine(settings, ['hyperopt'], { cwd: dir, home: dir });
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.resume();
  child.stdin.end(JSON.stringify(request));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const reply = lastReplyLine(Buffer.concat(out).toString('utf8'), CommandReplySchema);
      if (reply) resolve(reply);
      else reject(new Error(`one-shot hyperopt exited with ${code} and no reply`));
    });
  });
}
try {
  let began = performance.now();
  const plain = await server.send('backtest', request(path.join(dir, 'plain'), timerange), { limits });
  const backtestS = (performance.now() - began) / 1000;
  if (!plain.ok) throw new Error(`backtest failed: ${JSON.stringify(plain)}`);
  const split = splitRange(timerange, 0.7);
  const hyperopt = (resultsDir: string) => ({
    ...request(resultsDir, split.inSample),
    epochs,
    loss: 'sharpe',
    spaces: ['buy', 'sell'],
    random_state: 1,
    test_timerange: split.outOfSample,
  });
  began = performance.now();
  const reply = await server.send('hyperopt', hyperopt(path.join(dir, 'opt')), { limits });
  const optS = (performance.now() - began) / 1000;
  if (!reply.ok) throw new Error(`hyperopt failed: ${JSON.stringify(reply)}`);
  // The warm server stops first: the fresh process has the machine to itself, as the warm run did.
  await server.stop();
  began = performance.now();
  const fresh = await oneShot(hyperopt(path.join(dir, 'fresh')));
  const freshS = (performance.now() - began) / 1000;
  if (!fresh.ok) throw new Error(`one-shot hyperopt failed: ${JSON.stringify(fresh)}`);
  const perEpoch = (s: number) => `${((s * 1000) / epochs).toFixed(0)} ms an epoch`;
  const same = JSON.stringify(fresh.best) === JSON.stringify(reply.best) ? 'same best' : 'a different best';
  console.log(`1 pair x ${timerange} of 1h, one worker`);
  console.log(`backtest of the full range: ${backtestS.toFixed(1)} s`);
  console.log(`hyperopt, ${epochs} epochs on ${split.inSample} + best backtested on both parts:`);
  const row = (label: string, s: number) => `  ${label.padEnd(33)}${s.toFixed(1)} s (${perEpoch(s)})`;
  console.log(row('warm engine server:', optS));
  console.log(`${row('fresh process, one-shot command:', freshS)}, ${same} as the warm run`);
} finally {
  await engine.stop();
}
