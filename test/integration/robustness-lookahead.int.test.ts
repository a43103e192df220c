// The robustness report's bias checks against the real engine: Freqtrade's lookahead analysis finds
// nothing in the golden SMA cross, and flags the same strategy with a deliberate shift(-1) (its fast SMA
// reads the next candle); Freqtrade's recursive-indicator analysis, run with it, finds the SMAs stable
// and flags an EMA given too short a startup.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLookaheadCheck } from '../../freqtrade/client/lookahead.ts';
import { startLocalEngineServer } from '../support/engine-server.ts';

const engine = startLocalEngineServer('lookahead', { slots: 2 });
const { server } = engine;
const ft = { ...engine.settings, marketDataDir: engine.paths.datadir, marketsPath: engine.paths.marketsPath };
afterAll(async () => {
  await engine.stop();
});
const check = createLookaheadCheck({ server, datadir: ft.marketDataDir, marketsPath: ft.marketsPath });

const golden = readFileSync(path.resolve(import.meta.dirname, '../fixtures/golden/BtcSma20501h.py'), 'utf8');
const SMA = 'dataframe["sma_20"] = ta.SMA(dataframe, timeperiod=20)';
// The fast SMA shifted one candle back: each row holds the next candle's value, known only later.
const peeking = golden.replace(SMA, `${SMA}.shift(-1)`);
// An EMA remembers its seed: with 25 startup candles for an EMA(20) its value depends on where data starts.
const recursiveEma = golden
  .replace(SMA, 'dataframe["ema_20"] = ta.EMA(dataframe, timeperiod=20)')
  .replaceAll('sma_20', 'ema_20')
  .replace('startup_candle_count = 50', 'startup_candle_count = 25');
const input = {
  className: 'BtcSma20501h',
  timeframe: '1h',
  pairs: ['BTC/USDT'],
  timerange: '20240913-20250101',
};

describe("Freqtrade's lookahead analysis in the robustness report", () => {
  it('finds no bias in the SMA cross and flags the same strategy reading the next candle', async () => {
    expect(peeking).not.toBe(golden);
    const [clean, biased] = await Promise.all([
      check({ ...input, code: golden }),
      check({ ...input, code: peeking }),
    ]);
    expect(clean).toMatchObject({ checked: true, biased: false, timerange: input.timerange });
    expect(clean.sentence).toMatch(/^No lookahead bias found in \d+ checked signals\.$/);
    expect(biased).toMatchObject({ checked: true, biased: true });
    expect(biased.sentence).toMatch(/^Lookahead bias: .*indicators that look ahead: sma_20\.$/);
  }, 300_000);

  it("runs Freqtrade's recursive analysis with it: SMAs stay, an EMA with a short startup moves", async () => {
    expect(recursiveEma).toContain('startup_candle_count = 25');
    const [clean, ema] = await Promise.all([
      check({ ...input, code: golden }),
      check({ ...input, code: recursiveEma }),
    ]);
    expect(clean.recursive).toMatchObject({ checked: true, varies: false });
    expect(clean.recursive?.sentence).toMatch(
      /^No indicator moved at the strategy's own startup count \(startup candles .*50.* \(the strategy's own: 50\) on BTC\/USDT\)\.$/,
    );
    expect(ema.recursive).toMatchObject({ checked: true, varies: true });
    expect(ema.recursive?.sentence).toMatch(
      /^Indicators whose last value depends on how many candles precede it: ema_20 by \d+\.\d{3}% at 25 candles, /,
    );
    // Too short for the SMA(50) too: it has no value at 25 candles, which the sentence says.
    expect(ema.recursive?.sentence).toContain('sma_50 by no value at 25 candles');
  }, 300_000);

  it('says it did not run for a futures strategy', async () => {
    const out = await check({ ...input, code: golden, tradingMode: 'futures' });
    expect(out).toMatchObject({ checked: false, biased: false });
    expect(out.sentence).toMatch(/spot strategies only/);
  });
});
