// The Docker runner on a real Docker engine (Debian's docker.io, started by the test setup when none
// answers: scripts/docker-test-setup.mjs) with an image built here without a registry (a debootstrap
// rootfs, the pinned venv and our engine). It shows what the loopback peer
// (docker-runner.int.test.ts) cannot: the same strategies give the same figures through the local
// runner and in a container, whose phases come out as it runs, and the same seed finds the same
// parameters through both runners' hyperopt. What Docker enforces on strategy code is
// docker-escape.int.test.ts. Skipped, with the reason printed, where no engine can be had.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBacktestResult, strategyStats } from '../../freqtrade/result.ts';
import type { BacktestRequest, OptimiseEpoch, OptimiseRequest } from '../../freqtrade/runner.ts';
import { dockerRealContext, source } from '../support/docker-real-context.ts';

const ctx = await dockerRealContext('docker-real');

/** A strategy's block of the result, less what differs between any two runs (when it ran, where). */
function comparable(raw: unknown, className: string) {
  const { backtest_run_start_ts, backtest_run_end_ts, ...stats } = strategyStats(raw, className);
  const { runtimeSeconds, ...summary } = parseBacktestResult(raw, className);
  return { summary, stats };
}

describe.skipIf(!ctx.setup.ok)(ctx.titled('the Docker runner on a real Docker engine'), () => {
  const cases: [string, string, Partial<BacktestRequest>][] = [
    [
      'ema_rsi_pullback',
      'EmaRsiPullback',
      { pairs: ['BTC/USDT', 'ETH/USDT'], timerange: '20240101-20240401' },
    ],
    ['stoch_cci_scalper', 'StochCciScalper', { timeframe: '15m', timerange: '20240101-20240201' }],
    ['macd_adx_daily_trend', 'MacdAdxDailyTrend', { timerange: '20230601-20240301' }],
  ];

  it.each(cases)(
    'gives the same figures as the local runner, field by field: %s',
    async (file, className, more) => {
      const code = source(file);
      const here = await ctx.local.run(ctx.request(className, code, more));
      const heard: string[] = [];
      const there = await ctx.inDocker.run(ctx.request(className, code, more), {
        onProgress: (p) => heard.push(p.phase),
      });
      const a = comparable(here.result, className);
      const b = comparable(there.result, className);
      process.stderr.write(
        `docker-real: ${className}: local ${here.durationMs} ms, docker ${there.durationMs} ms, ${a.summary.trades} trades\n`,
      );
      expect(a.summary.trades).toBeGreaterThan(0);
      // The summary a card shows, then every other field of the block and every trade.
      expect(b.summary).toEqual(a.summary);
      expect(b.stats).toEqual(a.stats);
      // Freqtrade's phases came out of the container while it ran (its log followed).
      expect(heard).toContain('backtesting');
    },
    300_000,
  );

  it('finds the same parameters, loss and part figures as the local runner: a 3-epoch hyperopt', async () => {
    const code = readFileSync('freqtrade/engine/tests/fixtures/sma_tunable.py', 'utf8');
    const request = (): OptimiseRequest => ({
      ...ctx.request('SmaTunable', code, { timerange: '20240115-20240310' }),
      epochs: 3,
      loss: 'profit',
      spaces: ['buy', 'sell'],
      seed: 42,
      testTimerange: '20240310-20240330',
    });
    const { local, inDocker } = ctx;
    if (!local.optimise || !inDocker.optimise) throw new Error('both runners optimise');
    const here = await local.optimise(request());
    const heard: OptimiseEpoch[] = [];
    const there = await inDocker.optimise(request(), { onEpoch: (e) => heard.push(e) });
    process.stderr.write(
      `docker-real: hyperopt 3 epochs: local ${here.durationMs} ms, docker ${there.durationMs} ms, best ${JSON.stringify(here.best)}\n`,
    );
    expect(there.epochsRun).toBe(3);
    expect(there.best).toEqual(here.best);
    expect(there.baselineLoss).toEqual(here.baselineLoss);
    for (const part of ['train', 'test'] as const) {
      const a = comparable(here[part]?.result, 'SmaTunable');
      const b = comparable(there[part]?.result, 'SmaTunable');
      expect(a.summary.trades).toBeGreaterThan(0);
      expect(b.summary.trades).toBe(a.summary.trades);
      expect(b.summary).toEqual(a.summary);
      expect(b.stats).toEqual(a.stats);
    }
    // Each epoch came out of the container while it ran, the best loss never getting worse.
    expect(heard.map((e) => [e.epochs, e.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(heard.at(-1)?.bestLoss).toBe(there.best.loss);
  }, 600_000);
});
