// `gentrade validate-dir` run as traders run it, on the engine's committed test strategies: one line
// per file in name order, and a summary whose counts add up to the folder, through the real engine.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config.ts';
import { runGentrade } from '../support/gentrade-cli.ts';

const STRATEGIES = path.join(repoRoot, 'freqtrade', 'engine', 'tests', 'strategies');
const NAMES = readdirSync(STRATEGIES)
  .filter((name) => name.endsWith('.py'))
  .sort();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gentrade-validate-dir-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const gentrade = (...args: string[]) => runGentrade(tmp, ...args);

/** The count on the summary row that starts with `label`. */
function summaryCount(stdout: string, label: string): number {
  const row = stdout.split('\n').find((line) => line.trimStart().startsWith(`${label} `));
  const count = row
    ?.slice(label.length + 2)
    .trim()
    .split(/\s+/)[0];
  if (count === undefined) throw new Error(`no summary row "${label}" in:\n${stdout}`);
  return Number(count);
}

describe('gentrade validate-dir', () => {
  it('lists every committed strategy once, in order, and a summary that adds up', async () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(5);
    const run = await gentrade('validate-dir', STRATEGIES);
    expect(run.code, run.stderr).not.toBe(2);
    const lines = run.stdout
      .split('\n')
      .filter((line) => /^(TRADED|ZERO|ACCEPTED|REFUSED|ERROR) /.test(line));
    expect(lines.map((line) => line.split(/\s+/)[1]?.replace(/:$/, ''))).toEqual(NAMES);
    expect(lines.find((l) => l.includes('zero_trade_conditions.py'))).toMatch(/^ZERO .*zero trades, 1h$/);
    expect(lines.find((l) => l.includes('donchian_atr_breakout.py'))).toMatch(
      /^TRADED .*accepted, \d+ trades/,
    );

    const traded = summaryCount(run.stdout, 'accepted and traded');
    const zero = summaryCount(run.stdout, 'accepted with zero trades');
    const refused = summaryCount(run.stdout, 'refused');
    const errors = summaryCount(run.stdout, 'engine errors');
    expect(run.stdout).toContain(`${NAMES.length} files in ${STRATEGIES}:`);
    expect(traded + zero + refused + errors).toBe(NAMES.length);
    expect(traded).toBe(lines.filter((l) => l.startsWith('TRADED')).length);
    expect(zero).toBe(lines.filter((l) => l.startsWith('ZERO')).length);
    expect(refused).toBe(lines.filter((l) => l.startsWith('REFUSED')).length);
    expect(errors).toBe(0);
    expect(zero).toBeGreaterThanOrEqual(2);
    // Exit 1 exactly when something was refused.
    expect(run.code).toBe(refused > 0 ? 1 : 0);
  });

  it('reports a refused file by stage and rule in JSON, two files at a time (exit 1)', async () => {
    const dir = path.join(tmp, 'mixed');
    mkdirSync(dir);
    for (const name of NAMES) copyFileSync(path.join(STRATEGIES, name), path.join(dir, name));
    const hostile = readFileSync(path.join(STRATEGIES, 'ema_rsi_pullback.py'), 'utf8').replace(
      /^(import|from) /m,
      // Read, not a leftover: an import nobody uses is let through.
      'import os\nHOME = os.environ\n$1 ',
    );
    const osLine = hostile.split('\n').indexOf('import os') + 1;
    expect(osLine).toBeGreaterThan(0);
    writeFileSync(path.join(dir, 'aa_hostile.py'), hostile);
    writeFileSync(path.join(dir, 'notes.txt'), 'not a strategy');

    const run = await gentrade('validate-dir', dir, '--json', '--concurrency', '2');
    expect(run.code, run.stderr).toBe(1);
    const { files, summary } = JSON.parse(run.stdout);
    expect(files.map((f: { file: string }) => f.file)).toEqual(['aa_hostile.py', ...NAMES]);
    expect(files[0]).toMatchObject({
      kind: 'refused',
      stage: 'static',
      rule: 'forbidden-import',
      line: osLine,
    });
    const { traded, zeroTrades, acceptedUnsmoked, refused, errors } = summary;
    expect(traded + zeroTrades + acceptedUnsmoked + refused + errors).toBe(summary.files);
    expect(summary.files).toBe(NAMES.length + 1);
    expect(refused).toBe(files.filter((f: { kind: string }) => f.kind === 'refused').length);
    expect(refused).toBeGreaterThanOrEqual(1);
    const causes: { cause: string; count: number; example: string }[] = summary.causes;
    expect(causes.reduce((sum, c) => sum + c.count, 0)).toBe(refused);
    expect(causes).toContainEqual(
      expect.objectContaining({ cause: 'static/forbidden-import', example: 'aa_hostile.py' }),
    );
  });

  it('refuses a folder without strategies and a bad --trading-mode (exit 2)', async () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    const none = await gentrade('validate-dir', empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no \.py files/);
    const bad = await gentrade('validate-dir', STRATEGIES, '--trading-mode', 'margin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--trading-mode must be spot, futures or auto/);
  });
});
