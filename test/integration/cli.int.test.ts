// `gentrade` run as traders run it: `node bin/gentrade.mjs ...` in a subprocess, against the real
// renderer, offline parser, warm engine server and validation pipeline.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderStrategy } from '../../freqtrade/render.ts';
import { repoRoot } from '../../src/config.ts';
import { runGentrade } from '../support/gentrade-cli.ts';

const GOLDEN = path.join(repoRoot, 'test', 'fixtures', 'golden', 'BtcSma20501h.py');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gentrade-cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const gentrade = (...args: string[]) => runGentrade(tmp, ...args);

describe('gentrade parse and render', () => {
  it('parses plain words into a spec and renders it to the renderer’s bytes', async () => {
    const parsed = await gentrade('parse', 'BTC SMA 20/50 cross on 1h with a 5% stop');
    expect(parsed.code, parsed.stderr).toBe(0);
    const { name, spec } = JSON.parse(parsed.stdout);
    expect(name).toBe('btc-sma-20-50-1h');
    expect(spec.timeframe).toBe('1h');
    expect(spec.pairs).toEqual(['BTC/USDT']);

    const specFile = path.join(tmp, 'my-cross.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const rendered = await gentrade('render', specFile);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toBe(renderStrategy(spec, { name: 'my-cross', className: 'MyCross' }));
    expect(rendered.stdout).toMatch(/^class MyCross\(IStrategy\):$/m);
  });

  it('says why it cannot parse, with exit 1', async () => {
    const run = await gentrade('parse', 'make me rich');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^gentrade: .+/);
  });

  it('names the bad field of a spec on stderr, with exit 1', async () => {
    const parsed = JSON.parse((await gentrade('parse', 'BTC SMA 20/50 cross on 1h with a 5% stop')).stdout);
    const specFile = path.join(tmp, 'bad.json');
    writeFileSync(specFile, JSON.stringify({ ...parsed.spec, timeframe: '7m' }));
    const run = await gentrade('render', specFile);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/timeframe/);
  });

  it('prints help and rejects bad usage with exit 2', async () => {
    const help = await gentrade('backtest', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gentrade backtest FILE\.py/);
    const missing = await gentrade('backtest', GOLDEN, '--timerange', '20240101-20240401');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/backtest needs --pairs/);
    expect((await gentrade('frobnicate')).code).toBe(2);
  });
});

describe('gentrade backtest and validate', () => {
  it('backtests a golden strategy and prints Freqtrade’s figures', async () => {
    const run = await gentrade('backtest', GOLDEN, '--timerange', '20240101-20240401', '--pairs', 'BTC/USDT');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.strategy).toBe('BtcSma20501h');
    expect(summary.timeframe).toBe('1h');
    expect(summary.trades).toBeGreaterThan(0);
    expect(summary.wins + summary.losses + summary.draws).toBe(summary.trades);
    expect(summary.periodStart).toBe('2024-01-01 00:00:00');
    expect(typeof summary.profitTotal).toBe('number');
  });

  it('refuses to backtest a file the static policy rejects, naming rule and line (exit 1)', async () => {
    const marker = path.join(tmp, 'eval-ran');
    const evil = path.join(tmp, 'EvalStrategy.py');
    writeFileSync(
      evil,
      readFileSync(GOLDEN, 'utf8').replace(
        /(def populate_indicators\(self[^\n]*\n)/,
        `$1        eval('open(${JSON.stringify(marker)}, "w").close()')\n`,
      ),
    );
    const line =
      readFileSync(evil, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('eval(')) + 1;
    expect(line).toBeGreaterThan(0);
    const run = await gentrade('backtest', evil, '--timerange', '20240101-20240401', '--pairs', 'BTC/USDT');
    expect(run.code, run.stderr).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ accepted: false, stage: 'static' });
    expect(verdict.violations).toContainEqual(expect.objectContaining({ rule: 'forbidden-name', line }));
    expect(run.stderr).toMatch(new RegExp(`refused before backtesting: .*eval.*\\(line ${line}\\)`));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a pair the exchange does not list, with exit 1', async () => {
    const run = await gentrade(
      'backtest',
      GOLDEN,
      '--timerange',
      '20240101-20240401',
      '--pairs',
      'DOGE/USDT',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DOGE\/USDT is not listed/);
  });

  it('accepts a golden strategy (exit 0) and rejects forbidden code naming rule and line (exit 1)', async () => {
    const accepted = await gentrade('validate', GOLDEN);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ accepted: true });

    const hostile = path.join(tmp, 'Hostile.py');
    writeFileSync(
      hostile,
      // An import nobody uses is a harmless leftover; this one is read.
      readFileSync(GOLDEN, 'utf8').replace(
        'import talib.abstract as ta',
        'import os\nimport talib.abstract as ta\nHOME = os.environ',
      ),
    );
    const rejected = await gentrade('validate', hostile);
    expect(rejected.code, rejected.stderr).toBe(1);
    const verdict = JSON.parse(rejected.stdout);
    expect(verdict.accepted).toBe(false);
    expect(verdict.stage).toBe('static');
    const line = readFileSync(hostile, 'utf8').split('\n').indexOf('import os') + 1;
    expect(verdict.violations).toContainEqual(expect.objectContaining({ rule: 'forbidden-import', line }));
  });

  it('runs Freqtrade’s lookahead analysis on request and names the column that peeks ahead', async () => {
    const peek = path.resolve('freqtrade/engine/tests/strategies/peek_ahead.py');
    const run = await gentrade('validate', peek, '--lookahead');
    expect(run.code, run.stderr).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.lookahead).toMatchObject({ checked: true, biased: true });
    expect(verdict.lookahead.indicators).toContain('next_close');
    expect(verdict.lookahead.sentence).toMatch(/look ahead: .*next_close/);
  });

  it('rejects a strategy stopped by its CPU limit (exit 1), naming the limit and the stage', async () => {
    const spinner = path.join(tmp, 'Spinner.py');
    writeFileSync(
      spinner,
      readFileSync(GOLDEN, 'utf8').replace(
        /(def populate_indicators\(self[^\n]*\n)/,
        '$1        while True:\n            pass\n',
      ),
    );
    expect(readFileSync(spinner, 'utf8')).toMatch(/while True/);
    const run = await gentrade(
      'validate',
      spinner,
      '--cpu-seconds',
      '2',
      '--timeout',
      '90',
      '--timerange',
      '20240101-20240201',
    );
    expect(run.code, run.stderr).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ accepted: false, stage: 'smoke' });
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        rule: 'cpu-limit',
        line: null,
        message: expect.stringMatching(/2 s of CPU/),
      }),
    ]);
    const usage = await gentrade('validate', spinner, '--timeout', 'soon');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--timeout must be a whole number/);
  });
});
