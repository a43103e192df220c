// The result cache's key: one for everything that decides a run's figures, and only that. Real files:
// the engine's own source, and a small market data folder written here.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunKeys, type RunInputs } from '../../../freqtrade/run-key.ts';
import { repoRoot } from '../../../src/config.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-run-key-'));
const dataDir = path.join(dir, 'binance');
const marketsPath = path.join(dir, 'markets.json');
writeFileSync(path.join(dir, 'markets.futures.json'), '{}');
writeFileSync(marketsPath, '{"BTC/USDT": {}}');
mkdirSync(path.join(dataDir, 'futures'), { recursive: true });
writeFileSync(path.join(dataDir, 'BTC_USDT-1h.feather'), 'candles');
writeFileSync(path.join(dataDir, 'futures', 'BTC_USDT_USDT-1h-futures.feather'), 'perp');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let version: string | null = 'freqtrade 2026.9';
const settings = {
  engineDir: path.join(repoRoot, 'freqtrade', 'engine'),
  marketDataDir: dataDir,
  marketsPath,
  stakeCurrency: 'USDT',
  startingBalance: 1000,
  freqtrade: async () => version,
};
const run: RunInputs = {
  className: 'BtcSma',
  code: 'class BtcSma(IStrategy):\n    timeframe = "1h"\n',
  timeframe: '1h',
  pairs: ['BTC/USDT', 'ETH/USDT'],
  timerange: '20240101-20240301',
};

describe('the result cache key', () => {
  it('is the same for the same run, and differs when anything that decides the figures does', async () => {
    const keys = createRunKeys(settings);
    const base = await keys.of(run);
    expect(base).toMatch(/^[a-f0-9]{64}$/);
    expect(await keys.of({ ...run })).toBe(base);
    // Spot is the default trading mode and one trade per pair the default cap, as the engine runs it.
    expect(await keys.of({ ...run, tradingMode: 'spot', maxOpenTrades: 2 })).toBe(base);

    const changed: RunInputs[] = [
      { ...run, code: `${run.code}# edited\n` },
      { ...run, className: 'BtcSma2' },
      { ...run, timeframe: '4h' },
      { ...run, timerange: '20240101-20240302' },
      { ...run, pairs: ['BTC/USDT'] },
      { ...run, pairs: ['ETH/USDT', 'BTC/USDT'] },
      { ...run, maxOpenTrades: 1 },
      { ...run, tradingMode: 'futures' },
    ];
    const others = await Promise.all(changed.map((r) => keys.of(r)));
    expect(new Set([base, ...others]).size).toBe(changed.length + 1);

    const wallet = await createRunKeys({ ...settings, startingBalance: 2000 }).of(run);
    const stake = await createRunKeys({ ...settings, stakeCurrency: 'BTC' }).of(run);
    version = 'freqtrade 2026.10';
    const newer = await keys.of(run);
    version = 'freqtrade 2026.9';
    expect(new Set([base, wallet, stake, newer]).size).toBe(4);
  });

  it('differs when the market data or the markets snapshot change on disk', async () => {
    const keys = createRunKeys(settings);
    const before = await keys.of(run);
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dataDir, 'futures', 'BTC_USDT_USDT-1h-futures.feather'), later, later);
    const touched = await keys.of(run);
    writeFileSync(path.join(dataDir, 'ETH_USDT-1h.feather'), 'more candles');
    const added = await keys.of(run);
    writeFileSync(path.join(dir, 'markets.futures.json'), '{"fees": 1}');
    const markets = await keys.of(run);
    expect(new Set([before, touched, added, markets]).size).toBe(4);
    expect(await keys.of(run)).toBe(markets);
  });

  it('is none while the Freqtrade in use cannot be told, so nothing is cached', async () => {
    version = null;
    try {
      expect(await createRunKeys(settings).of(run)).toBeNull();
    } finally {
      version = 'freqtrade 2026.9';
    }
  });
});
