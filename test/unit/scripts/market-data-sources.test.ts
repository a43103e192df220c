// Which engine files key the cached sample data. Driven through a child Node process because the
// bootstrap modules are plain .mjs outside the TypeScript project.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const moduleUrl = new URL('../../../scripts/lib/market-data.mjs', import.meta.url).href;

function callMarketData(fn: 'marketDataSources' | 'marketDataKey', packageDir: string): Promise<unknown> {
  const script = `import(${JSON.stringify(moduleUrl)}).then((m) => process.stdout.write(JSON.stringify(m.${fn}(process.argv[1]))))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, packageDir], (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout));
    });
  });
}

describe('market data cache key', () => {
  let pkg: string;
  const write = (rel: string, content = rel) => {
    mkdirSync(path.dirname(path.join(pkg, rel)), { recursive: true });
    writeFileSync(path.join(pkg, rel), content);
  };

  beforeEach(() => {
    pkg = mkdtempSync(path.join(os.tmpdir(), 'gentrade-engine-'));
    for (const rel of [
      'synth/data.py',
      'synth/markets.py',
      'markets.py',
      'data_layout.py',
      'synth/candles.py',
      'synth/sub/path.py',
      'timeframes.py',
      'policy/rules.py',
      '__main__.py',
      'pairs.py',
      'backtest/run.py',
      'README.md',
      'synth/__pycache__/data.cpython-311.pyc',
      'sub/__pycache__/gen_candles.cpython-311.pyc',
    ]) {
      write(rel);
    }
  });
  afterEach(() => rmSync(pkg, { recursive: true, force: true }));

  it('selects the generators and what they import, sorted, without bytecode caches', async () => {
    expect(await callMarketData('marketDataSources', pkg)).toEqual([
      'pairs.py',
      'synth/candles.py',
      'synth/data.py',
      'synth/markets.py',
      'synth/sub/path.py',
      'timeframes.py',
    ]);
  });

  it('changes when a selected file changes and not when another file does', async () => {
    const before = await callMarketData('marketDataKey', pkg);
    expect(before).toMatch(/^[0-9a-f]{12}$/);
    write('backtest/run.py', 'edited');
    write('synth/__pycache__/data.cpython-311.pyc', 'recompiled');
    write('__main__.py', 'a new subcommand');
    write('policy/rules.py', 'a new rule');
    expect(await callMarketData('marketDataKey', pkg)).toBe(before);
    write('pairs.py', 'edited');
    const afterPairs = await callMarketData('marketDataKey', pkg);
    expect(afterPairs).not.toBe(before);
    write('synth/candles.py', 'edited');
    expect(await callMarketData('marketDataKey', pkg)).not.toBe(afterPairs);
  });
});
