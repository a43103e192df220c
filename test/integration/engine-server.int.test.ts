// The warm engine server with real Freqtrade: same results as the one-shot engine, requests in
// parallel, the sandbox's CPU, memory and network limits (for a validation: a rejected verdict at
// the stage that was running), the zero-trade diagnosis, and recovery after the server is killed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnEngine } from '../../freqtrade/client/process.ts';
import type { EngineLimits } from '../../freqtrade/client/protocol.ts';
import { readBacktestReply, readFailure } from '../../freqtrade/client/replies.ts';
import { validateCode } from '../../freqtrade/client/verdict.ts';
import { parseBacktestResult, readResultJson } from '../../freqtrade/result.ts';
import { engineRequest, readEngineReply } from '../../freqtrade/runner.ts';
import { AppError } from '../../src/errors.ts';
import { startLocalEngineServer } from '../support/engine-server.ts';

const engine = startLocalEngineServer('engine-server', { slots: 2 });
const { server, root } = engine;
const { settings, paths } = engine;
afterAll(async () => {
  await engine.stop();
});

const GOLDEN = path.resolve(import.meta.dirname, '../fixtures/golden/BtcSma20501h.py');
const ENGINE_STRATEGIES = path.join(settings.engineDir, 'tests', 'strategies');
const TIMERANGE = '20240101-20240401';
let runs = 0;

function request(strategyPath: string, className: string) {
  const resultsDir = path.join(root, `run-${++runs}`);
  return engineRequest(
    { backtestId: 'x', className, code: '', timeframe: '1h', pairs: ['BTC/USDT'], timerange: TIMERANGE },
    { strategyPath, ...paths, resultsDir },
    { stakeCurrency: 'USDT', startingBalance: 1000 },
  );
}

/** A strategy whose populate_indicators runs `body` (Python, 8-space indented) before returning. */
function probeStrategy(name: string, body: string): string {
  const file = path.join(root, `${name}.py`);
  writeFileSync(
    file,
    [
      'from freqtrade.strategy import IStrategy',
      'from pandas import DataFrame',
      '',
      `class ${name}(IStrategy):`,
      '    INTERFACE_VERSION = 3',
      '    timeframe = "1h"',
      '    minimal_roi = {"0": 10}',
      '    stoploss = -0.1',
      '',
      '    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:',
      body,
      '        return dataframe',
      '',
      '    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:',
      '        dataframe["enter_long"] = 0',
      '        return dataframe',
      '',
      '    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:',
      '        dataframe["exit_long"] = 0',
      '        return dataframe',
      '',
    ].join('\n'),
  );
  return file;
}

function summaryOf(resultPath: string, className: string) {
  return parseBacktestResult(readResultJson(readFileSync(resultPath, 'utf8')), className);
}

async function oneShot(req: object): Promise<string> {
  const child = spawnEngine(settings, ['backtest'], { cwd: root, home: root });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.resume();
  child.stdin.end(JSON.stringify(req));
  await new Promise((resolve) => child.on('close', resolve));
  const reply = readEngineReply(stdout);
  if (!reply?.ok) throw new Error(`one-shot backtest failed: ${stdout}`);
  return reply.result_path;
}

async function limited(file: string, className: string, limits: EngineLimits) {
  const reply = await server.send('backtest', request(file, className), { limits });
  return { reply, failure: readFailure(reply) };
}

describe('warm engine server', () => {
  it('returns the same result as the one-shot engine, and runs two backtests at once', async () => {
    const expected = summaryOf(await oneShot(request(GOLDEN, 'BtcSma20501h')), 'BtcSma20501h');
    const { pid } = await server.ping();
    const replies = await Promise.all([
      server.send('backtest', request(GOLDEN, 'BtcSma20501h')),
      server.send('backtest', request(GOLDEN, 'BtcSma20501h')),
    ]);
    for (const reply of replies) {
      const done = readBacktestReply(reply);
      const got = summaryOf(done.result_path, 'BtcSma20501h');
      expect(got.trades).toBeGreaterThan(0);
      expect(done.trades).toBe(expected.trades);
      expect(got.trades).toBe(expected.trades);
      expect(got.profitTotalAbs).toBe(expected.profitTotalAbs);
      expect(got.winRate).toBe(expected.winRate);
    }
    expect(replies[0]?.result_path).not.toBe(replies[1]?.result_path);
    expect((await server.ping()).pid).toBe(pid);
  });

  it('stops an endless loop with the CPU limit and keeps serving', async () => {
    const { pid } = await server.ping();
    const file = probeStrategy('Spinner', '        while True:\n            pass');
    const { failure } = await limited(file, 'Spinner', { cpuSeconds: 3, timeoutSeconds: 90 });
    expect(failure?.code).toBe('LIMIT');
    expect(failure?.rule).toBe('cpu-limit');
    expect(failure?.message).toMatch(/more than 3 s of CPU time/);
    expect((await server.ping()).pid).toBe(pid);
    expect(
      readBacktestReply(await server.send('backtest', request(GOLDEN, 'BtcSma20501h'))).trades,
    ).toBeGreaterThan(0);
  });

  it('stops a run that exceeds its wall-clock timeout', async () => {
    const file = probeStrategy('Sleeper', '        import time\n        time.sleep(600)');
    const { failure } = await limited(file, 'Sleeper', { timeoutSeconds: 3 });
    expect(failure?.code).toBe('LIMIT');
    expect(failure?.rule).toBe('timeout');
  });

  it('stops unbounded memory with the memory limit', async () => {
    const body = '        hoard = []\n        while True:\n            hoard.append(bytearray(50_000_000))';
    const file = probeStrategy('Hoarder', body);
    const { failure } = await limited(file, 'Hoarder', { memoryMb: 1500, timeoutSeconds: 90 });
    expect(failure?.code, JSON.stringify(failure)).toBe('LIMIT');
    expect(failure?.rule).toBe('memory-limit');
    expect(failure?.message).toMatch(/more than 1500 MB of memory/);
  });

  it('keeps strategy code off the network', async () => {
    const body = [
      '        import socket',
      // /proc/net/dev, not if_nameindex: the sandbox's seccomp filter allows no netlink socket.
      "        lines = open('/proc/net/dev').read().splitlines()[2:]",
      "        names = sorted(line.split(':')[0].strip() for line in lines)",
      '        try:',
      '            socket.create_connection(("1.1.1.1", 80), timeout=3).close()',
      '            outcome = "connected"',
      '        except OSError as err:',
      '            outcome = type(err).__name__',
      '        raise RuntimeError(f"probe interfaces={names} connect={outcome}")',
    ].join('\n');
    const file = probeStrategy('NetProbe', body);
    const { reply, failure } = await limited(file, 'NetProbe', { timeoutSeconds: 90 });
    expect(failure?.code).toBe('STRATEGY_ERROR');
    expect(failure?.message).toMatch(/probe interfaces=/);
    expect(failure?.message).not.toMatch(/connect=connected/);
    if (reply.network === 'isolated') {
      // An empty network namespace: only its own (down) loopback exists.
      expect(failure?.message).toMatch(/interfaces=\['lo'\] connect=\w+Error/);
    } else {
      expect(reply.network).toBe('not isolated');
    }
  });

  it('rejects a validation stopped by a limit, naming the limit and the stage', async () => {
    const spin = readFileSync(probeStrategy('Spin', '        while True:\n            pass'), 'utf8');
    // Static policy forbids `import time`: a loop under a generous CPU limit meets the wall clock.
    const nap = readFileSync(probeStrategy('Nap', '        while True:\n            pass'), 'utf8');
    const opts = { ...paths, pairs: ['BTC/USDT'], timerange: '20240101-20240201' };
    const [cpu, wall] = await Promise.all([
      validateCode(server, spin, { ...opts, limits: { cpuSeconds: 2, timeoutSeconds: 60 } }),
      validateCode(server, nap, { ...opts, limits: { cpuSeconds: 60, timeoutSeconds: 4 } }),
    ]);
    expect(cpu).toMatchObject({ accepted: false, stage: 'smoke' });
    expect(cpu.accepted === false && cpu.violations).toEqual([
      expect.objectContaining({
        rule: 'cpu-limit',
        line: null,
        message: expect.stringMatching(/2 s of CPU/),
      }),
    ]);
    expect(wall).toMatchObject({ accepted: false, stage: 'smoke' });
    expect(wall.accepted === false && wall.violations).toEqual([
      expect.objectContaining({ rule: 'timeout', line: null }),
    ]);
  });

  it('says which entry condition never fired on a backtest’s own data', async () => {
    const request = { ...paths, timeframe: '1h', pairs: ['ETH/USDT'], timerange: '20240201-20240301' };
    const rendered = await server.diagnose({
      ...request,
      className: 'ZeroTradeConditions',
      code: readFileSync(path.join(ENGINE_STRATEGIES, 'zero_trade_conditions.py'), 'utf8'),
    });
    const never = rendered.conditions.find((c) => c.label === 'RSI(14) < 1');
    // Freqtrade's range includes the candle that opens at its end date: 29 days of 1h, plus one.
    const candles = 29 * 24 + 1;
    expect(never).toEqual({ label: 'RSI(14) < 1', trueCandles: 0, totalCandles: candles });
    expect(rendered.conditions.find((c) => c.label === 'volume > 0')?.trueCandles).toBe(candles);
    expect(rendered.sentence).toMatch(/^On ETH\/USDT 1h 20240201-20240301: .*RSI\(14\) < 1 never fired/);

    const custom = await server.diagnose({
      ...request,
      className: 'ZeroTradeCustom',
      code: readFileSync(path.join(ENGINE_STRATEGIES, 'zero_trade_custom.py'), 'utf8'),
    });
    expect(custom.conditions).toEqual([
      { label: 'enter_long signal', trueCandles: 0, totalCandles: candles },
    ]);
    expect(custom.sentence).toMatch(/no entry signal was ever raised/);

    const refused = await server
      .diagnose({ ...request, className: 'Bad', code: 'import os\n' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
  });

  it('fails the request in flight when the server dies, then starts a fresh one', async () => {
    const { pid } = await server.ping();
    const file = probeStrategy('Stuck', '        import time\n        time.sleep(600)');
    const inFlight = server.send('backtest', request(file, 'Stuck'), { limits: { timeoutSeconds: 300 } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.kill(pid, 'SIGKILL');
    const err = await inFlight.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    if (err instanceof AppError) {
      expect(err.code).toBe('ENGINE_FAILED');
      expect(err.userMessage).toMatch(/engine stopped unexpectedly/);
    }
    const done = readBacktestReply(await server.send('backtest', request(GOLDEN, 'BtcSma20501h')));
    expect(done.trades).toBeGreaterThan(0);
    expect((await server.ping()).pid).not.toBe(pid);
  });
});
