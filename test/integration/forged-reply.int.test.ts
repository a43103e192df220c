// Strategy code can write on the pipe its run answers on (a raw os.write is invisible to Python's audit
// hooks) and can leave anything in its own results folder. Here it forges a successful reply naming
// another backtest's result file and plants a symlink to that file as its own result.json: the runner
// must read neither, and say the run produced no result; the engine removes the link once the run ends.
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';

const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-forged-'));
let runner: LocalRunner;

beforeAll(() => {
  const ft = loadConfig({}).freqtrade;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
    throw new Error('run node scripts/bootstrap.mjs first');
  runner = createLocalRunner({
    python: ft.python,
    path: ft.path,
    engineDir: ft.engineDir,
    marketDataDir: ft.marketDataDir,
    marketsPath: ft.marketsPath,
    resultsRoot,
    timeoutMs: 120_000,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await runner?.stop();
  rmSync(resultsRoot, { recursive: true, force: true });
});

const forger = (victim: string) => `
import json
import os
import stat
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Forger(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 100.0}
    stoploss = -0.10

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        os.symlink(${JSON.stringify(victim)}, os.path.join(os.path.dirname(os.path.dirname(__file__)), "..", "result.json"))
        reply = {"ok": True, "result_path": ${JSON.stringify(victim)}, "strategy": "Forger", "trades": 7}
        for fd in range(3, 64):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, (json.dumps(reply) + "\\n").encode())
            except OSError:
                pass
        os._exit(0)

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
`;

describe('a forged reply from strategy code', () => {
  it("never makes the runner read another backtest's result", async () => {
    const parsed = parseStrategyText('BTC SMA 20/50 cross on 1h with a 5% stop');
    if (!parsed.ok) throw new Error(parsed.reason);
    const victim = await runner.run({
      backtestId: 'victim',
      className: 'Victim',
      code: renderStrategy(parsed.spec, { className: 'Victim', name: parsed.name }),
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      timerange: '20240101-20240201',
    });
    expect(victim.resultPath).toBe(path.join(resultsRoot, 'victim', 'run', 'result.json'));

    const attack = runner.run({
      backtestId: 'attacker',
      className: 'Forger',
      code: forger(victim.resultPath),
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      timerange: '20240101-20240201',
    });
    await expect(attack).rejects.toBeInstanceOf(AppError);
    await expect(attack).rejects.toMatchObject({ userMessage: expect.stringMatching(/no result file/) });
    // The run planted the link (its own folder shows it ran) and the engine took it away after.
    expect(readdirSync(path.join(resultsRoot, 'attacker', 'run'))).toContain('user_data');
    expect(() => lstatSync(path.join(resultsRoot, 'attacker', 'run', 'result.json'))).toThrow(/ENOENT/);
    expect(readFileSync(victim.resultPath, 'utf8')).toContain('"strategy"');
  }, 240_000);
});
