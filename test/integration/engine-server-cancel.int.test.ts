import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { engineRequest } from '../../freqtrade/runner.ts';
import { startLocalEngineServer } from '../support/engine-server.ts';
import { until } from '../support/wait.ts';

const lines: { level: number; msg: string }[] = [];
const engine = startLocalEngineServer('engine-cancel', {
  logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
});
const { server, root } = engine;
const ft = { ...engine.settings, marketDataDir: engine.paths.datadir, marketsPath: engine.paths.marketsPath };
afterAll(async () => {
  await engine.stop();
});

const GOLDEN = path.resolve(import.meta.dirname, '../fixtures/golden/BtcSma20501h.py');

describe('a run cancelled on the engine server', () => {
  it('takes the replies to the run and to the cancel as expected, not as strays', async () => {
    const request = engineRequest(
      {
        backtestId: 'x',
        className: 'BtcSma20501h',
        code: '',
        timeframe: '5m',
        pairs: ['BTC/USDT'],
        timerange: '20240101-20241231',
      },
      {
        strategyPath: GOLDEN,
        datadir: String(ft.marketDataDir),
        marketsPath: String(ft.marketsPath),
        resultsDir: path.join(root, 'run'),
      },
      { stakeCurrency: 'USDT', startingBalance: 1000 },
    );
    const controller = new AbortController();
    const run = server.send('backtest', request, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(/aborted backtest/);
    const answered = () => lines.filter((l) => l.msg === 'engine server reply to a request given up');
    const strays = () => lines.filter((l) => l.msg === 'engine server reply matches no request');
    await until('both replies', () => answered().length + strays().length === 2, 60_000);
    expect(strays()).toEqual([]);
  }, 120_000);
});
