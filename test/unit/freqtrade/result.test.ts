// The result parser reads Freqtrade's own result file (a real one, checked in from a 1-month run).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBacktestResult, readResultJson } from '../../../freqtrade/result.ts';
import { resultCard } from '../../../src/core/cards.ts';
import { AppError } from '../../../src/errors.ts';

const fixture = new URL('../../fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const load = () => JSON.parse(readFileSync(fixture, 'utf8'));
const CLS = 'BtcSma20501h';

function refused(raw: unknown, cls = CLS): AppError {
  try {
    parseBacktestResult(raw, cls);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseBacktestResult', () => {
  it('takes every figure from the strategy stats unchanged', () => {
    const raw = load();
    const s = raw.strategy[CLS];
    const summary = parseBacktestResult(raw, CLS);
    expect(summary).toMatchObject({
      strategy: CLS,
      trades: s.total_trades,
      wins: s.wins,
      losses: s.losses,
      winRate: s.winrate,
      profitTotal: s.profit_total,
      profitTotalAbs: s.profit_total_abs,
      maxDrawdown: s.max_drawdown_account,
      maxDrawdownAbs: s.max_drawdown_abs,
      sharpe: s.sharpe,
      sortino: s.sortino,
      calmar: s.calmar,
      profitFactor: s.profit_factor,
      expectancy: s.expectancy,
      cagr: s.cagr,
      marketChange: s.market_change,
      stakeCurrency: 'USDT',
      startingBalance: s.starting_balance,
      finalBalance: s.final_balance,
      timeframe: '1h',
      periodStart: s.backtest_start,
      periodEnd: s.backtest_end,
      runtimeSeconds: s.backtest_run_end_ts - s.backtest_run_start_ts,
    });
    expect(summary.trades).toBe(8);
  });

  it('turns missing, null and non-finite metrics into null instead of a made-up number', () => {
    const raw = load();
    const s = raw.strategy[CLS];
    s.sharpe = null;
    delete s.sortino;
    s.calmar = Number.NaN;
    const summary = parseBacktestResult(raw, CLS);
    expect(summary.sharpe).toBeNull();
    expect(summary.sortino).toBeNull();
    expect(summary.calmar).toBeNull();
    const card = resultCard('x', '20240101-20240201', ['BTC/USDT'], summary);
    expect(card.fields.find((f) => f.name === 'Sharpe')?.value).toBe('n/a');
  });

  it('reads the bare NaN and Infinity tokens Freqtrade writes as null', () => {
    const text = readFileSync(fixture, 'utf8')
      .replace(/"sortino": [^,]+,/g, '"sortino": NaN,')
      .replace(/"calmar": [^,]+,/g, '"calmar": -Infinity,');
    expect(text).toContain('"sortino": NaN,');
    const summary = parseBacktestResult(readResultJson(text), CLS);
    expect(summary.sortino).toBeNull();
    expect(summary.calmar).toBeNull();
    expect(summary.trades).toBe(8);
  });

  it('refuses a file without the strategy, or not from Freqtrade', () => {
    expect(refused(load(), 'OtherClass').userMessage).toBe('Freqtrade produced no result for this strategy.');
    expect(refused({ hello: 'world' }).code).toBe('ENGINE_FAILED');
    const raw = load();
    delete raw.strategy[CLS].total_trades;
    expect(refused(raw).userMessage).toBe('Freqtrade produced a result I could not read.');
  });

  it('renders run time in whole seconds as Freqtrade reports it', () => {
    const raw = load();
    const s = raw.strategy[CLS];
    s.backtest_run_end_ts = s.backtest_run_start_ts;
    const card = resultCard('x', 'r', ['BTC/USDT'], parseBacktestResult(raw, CLS));
    expect(card.fields.find((f) => f.name === 'Run time')?.value).toBe('<1 s');
    s.backtest_run_end_ts = s.backtest_run_start_ts + 12;
    const card2 = resultCard('x', 'r', ['BTC/USDT'], parseBacktestResult(raw, CLS));
    expect(card2.fields.find((f) => f.name === 'Run time')?.value).toBe('12 s');
  });
});
