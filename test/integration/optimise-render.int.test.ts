// A spec rendered for optimisation runs through Freqtrade's hyperopt in the real engine on the sample
// data: the chosen levels are hyperopt parameters Freqtrade finds and tunes, the spec's own values are
// the first epoch, and the best found does at least as well on the training part.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderStrategy } from '../../freqtrade/render.ts';
import { parseBacktestResult, readResultJson } from '../../freqtrade/result.ts';
import { engineRequest } from '../../freqtrade/runner.ts';
import { strategyClassName } from '../../src/strategy/spec.ts';
import { GOLDEN } from '../fixtures/golden/specs.ts';
import { startLocalEngineServer } from '../support/engine-server.ts';

const engine = startLocalEngineServer('optimise-render');
const { server, root } = engine;
const ft = { ...engine.settings, marketDataDir: engine.paths.datadir, marketsPath: engine.paths.marketsPath };
afterAll(async () => {
  await engine.stop();
});

const ReplySchema = z.object({
  ok: z.literal(true),
  epochs_run: z.number(),
  baseline_loss: z.number(),
  best: z.object({ loss: z.number(), params: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  test: z.object({ result_path: z.string() }),
});

describe('a rendered spec under Freqtrade hyperopt', () => {
  it('tunes the chosen levels and backtests the best on the test part', async () => {
    const golden = GOLDEN.find((g) => g.name === 'sol-rsi-30-70-15m');
    if (golden === undefined) throw new Error('missing golden spec');
    const className = strategyClassName(golden.name);
    const code = renderStrategy(golden.spec, { className, name: golden.name }, [
      'entry_level_1',
      'exit_level_1',
    ]);
    const strategyPath = path.join(root, 'tuned.py');
    writeFileSync(strategyPath, code);
    const base = engineRequest(
      {
        backtestId: 'x',
        className,
        code,
        timeframe: golden.spec.timeframe,
        pairs: golden.spec.pairs,
        timerange: '20240101-20240215',
      },
      {
        strategyPath,
        datadir: ft.marketDataDir ?? '',
        marketsPath: ft.marketsPath ?? '',
        resultsDir: path.join(root, 'run'),
      },
      { stakeCurrency: 'USDT', startingBalance: 1000 },
    );
    const epochs: number[] = [];
    const reply = await server.send(
      'hyperopt',
      {
        ...base,
        epochs: 5,
        loss: 'profit',
        spaces: ['buy', 'sell'],
        random_state: 7,
        test_timerange: '20240215-20240301',
      },
      { onEpoch: (e) => epochs.push(e.epochs) },
    );
    const done = ReplySchema.parse(reply);
    expect(done.epochs_run).toBe(5);
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
    expect(done.best.loss).toBeLessThanOrEqual(done.baseline_loss);
    const level = z.number().parse(done.best.params.buy?.entry_level_1);
    expect(level).toBeGreaterThanOrEqual(15);
    expect(level).toBeLessThanOrEqual(45);
    expect(Object.keys(done.best.params.sell ?? {})).toEqual(['exit_level_1']);
    const test = parseBacktestResult(readResultJson(readFileSync(done.test.result_path, 'utf8')), className);
    expect(test.periodStart.slice(0, 10)).toBe('2024-02-15');
  }, 240_000);
});
