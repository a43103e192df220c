import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';

const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-config-'));

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env, emptyRoot);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a config error');
}

describe('loadConfig', () => {
  it('uses defaults for an empty environment', () => {
    const c = loadConfig({}, emptyRoot);
    expect(c.mongo.uri).toBeUndefined();
    expect(c.mongo.dbName).toBe('gentrade');
    expect(c.freqtrade.runner).toBe('local');
    expect(c.backtest.defaultTimerange).toBe('20250101-20251231');
    expect(c.dataDir).toBe(path.join(emptyRoot, 'data'));
  });

  it('names the variable when a value is bad', () => {
    const err = configError({ MONGODB_URI: 'postgres://x' });
    expect(err.code).toBe('CONFIG');
    expect(err.userMessage).toContain('MONGODB_URI');
    expect(err.userMessage).toContain('mongodb://');
  });

  it('reports every bad variable at once', () => {
    const err = configError({
      BACKTEST_TIMEOUT_MS: 'soon',
      FREQTRADE_RUNNER: 'kubernetes',
      LOG_LEVEL: 'loud',
    });
    expect(err.userMessage).toContain('BACKTEST_TIMEOUT_MS');
    expect(err.userMessage).toContain('FREQTRADE_RUNNER');
    expect(err.userMessage).toContain('LOG_LEVEL');
  });

  it('rejects a malformed default timerange and an out-of-range number', () => {
    expect(configError({ BACKTEST_DEFAULT_TIMERANGE: '2024' }).userMessage).toContain(
      'BACKTEST_DEFAULT_TIMERANGE',
    );
    expect(configError({ BACKTEST_CONCURRENCY: '0' }).userMessage).toContain(
      'BACKTEST_CONCURRENCY: must be a whole number 1..32',
    );
    expect(configError({ STARTING_BALANCE: 'lots' }).userMessage).toContain(
      'STARTING_BALANCE: must be a whole number 10..100000000',
    );
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig({ MONGODB_URI: '', OPENAI_API_KEY: '  ', BACKTEST_CONCURRENCY: '' }, emptyRoot);
    expect(c.mongo.uri).toBeUndefined();
    expect(c.openai.apiKey).toBeUndefined();
    expect(c.backtest.concurrency).toBe(2);
  });

  it('parses flags and numbers', () => {
    const c = loadConfig({ GENTRADE_CONSOLE: '0', STARTING_BALANCE: '5000', OPENAI_API_KEY: 'k' }, emptyRoot);
    expect(c.console).toBe(false);
    expect(c.freqtrade.startingBalance).toBe(5000);
    expect(c.openai.apiKey).toBe('k');
  });
});
