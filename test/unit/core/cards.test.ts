// The strategy card shows what the offline parser filled in by convention (indicator settings) and the
// money-management fields, so no default is hidden from the trader.
import { describe, expect, it } from 'vitest';
import type { BacktestSummary } from '../../../src/backtest/summary.ts';
import { compareCard, compareWarning, strategyMessage } from '../../../src/core/cards.ts';
import { parseStrategyText } from '../../../src/strategy/parse/offline-parser.ts';

function cardFor(text: string, version = 1) {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { spec, name } = parsed;
  const view = {
    id: 'a'.repeat(24),
    name,
    version,
    description: text,
    timeframe: spec.timeframe,
    pairs: spec.pairs,
  };
  return strategyMessage({ ...view, spec, className: 'X' }).card;
}

describe('strategy card', () => {
  it('shows default indicator settings in the signals', () => {
    const field = cardFor('ETH macd cross 4h stop 4%')?.fields.find((f) => f.name === 'Signals');
    expect(field?.value).toBe(
      'Enter long when MACD(12,26,9) crosses above MACD signal(12,26,9).\nExit long when MACD(12,26,9) crosses below MACD signal(12,26,9).',
    );
  });

  it('names only the ways out the strategy has when it has no exit signal', () => {
    const signals = (text: string) =>
      cardFor(text)
        ?.fields.find((f) => f.name === 'Signals')
        ?.value.split('\n')
        .at(-1);
    expect(signals('btc 1h buy when rsi crosses above 30, take profit 5%, stop 3%')).toBe(
      'No long exit signal: trades close by minimal_roi or the stop-loss.',
    );
    expect(signals('btc 1h buy when rsi crosses above 30, trailing stop 2%')).toBe(
      'No long exit signal: trades close by the stop-loss or the trailing stop.',
    );
  });

  it('shows trades, stake, protections and the trailing start in the risk line', () => {
    const risk = cardFor(
      'macd cross btc 1h max 3 trades stake 100 usdt, cooldown 5 candles, trailing stop 2% after 3% profit',
    )?.fields.find((f) => f.name === 'Risk');
    expect(risk?.value).toBe(
      '10% stop-loss; trailing stop 2% once up 3%; no take-profit target; at most 3 open trades; stake 100 per trade; cooldown 5 candles after a trade',
    );
  });
});

describe('an ATR stop on the card', () => {
  it.each([
    ['macd cross btc 1h, 2 atr stop', 'stop-loss 2 x ATR(14) from the entry, at most 10%'],
    [
      'macd cross btc 1h, trailing stop 3x atr',
      'trailing stop-loss 3 x ATR(14) from the best price since the entry, at most 10%',
    ],
  ])('%s', (text, said) => {
    const risk = cardFor(text)?.fields.find((f) => f.name === 'Risk');
    expect(risk?.value.startsWith(said)).toBe(true);
  });
});

describe('strategy card description', () => {
  it("shows the trader's words as they are on the first version", () => {
    expect(cardFor('BTC SMA 20/50 cross on 1h with a 5% stop')?.description).toBe(
      'BTC SMA 20/50 cross on 1h with a 5% stop',
    );
  });

  it('labels them as the original idea once an edit may have made them stale', () => {
    // After "use EMA instead" the words still say SMA; the Signals field says what it does now.
    expect(cardFor('BTC SMA 20/50 cross on 1h with a 5% stop', 2)?.description).toBe(
      'Originally: BTC SMA 20/50 cross on 1h with a 5% stop',
    );
  });
});

function summary(over: Partial<BacktestSummary>): BacktestSummary {
  return {
    strategy: 'S',
    trades: 10,
    wins: 5,
    losses: 5,
    draws: 0,
    winRate: 0.5,
    profitTotal: 0.1,
    profitTotalAbs: 100,
    maxDrawdown: 0.05,
    maxDrawdownAbs: 50,
    sharpe: 1,
    sortino: 1,
    calmar: 1,
    profitFactor: 1.2,
    expectancy: 1,
    cagr: 0.2,
    marketChange: 0.1,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
    finalBalance: 1100,
    timeframe: '1h',
    periodStart: '2025-01-01T00:00:00+00:00',
    periodEnd: '2025-06-01T00:00:00+00:00',
    runtimeSeconds: 1,
    ...over,
  };
}

describe('compare card', () => {
  const a = { name: 'a', timerange: '20250101-20250601', pairs: ['BTC/USDT'], summary: summary({}) };

  it('warns when the backtests cover different periods, pairs or timeframes', () => {
    const b = {
      name: 'b',
      timerange: '20251001-20251231',
      pairs: ['ETH/USDT'],
      summary: summary({
        timeframe: '4h',
        periodStart: '2025-10-01T00:00:00+00:00',
        periodEnd: '2025-12-30T20:00:00+00:00',
      }),
    };
    const warning =
      'Warning: not like for like, different periods (a: 2025-01-01 to 2025-06-01; b: 2025-10-01 to 2025-12-30), ' +
      'different pairs (a: BTC/USDT; b: ETH/USDT), different timeframes (a: 1h; b: 4h). ' +
      'Backtest both over the same range to compare them fairly.';
    expect(compareWarning([a, b])).toBe(warning);
    expect(compareCard([a, b]).description?.split('\n')).toEqual([
      warning,
      'a: 20250101-20250601, BTC/USDT, 1h',
      'b: 20251001-20251231, ETH/USDT, 4h',
    ]);
    const sameTimerange = { ...b, timerange: a.timerange, summary: summary({}) };
    expect(compareWarning([a, sameTimerange])).toBe(
      'Warning: not like for like, different pairs (a: BTC/USDT; b: ETH/USDT).',
    );
  });

  it('says nothing more when they are like for like', () => {
    const b = { ...a, name: 'b', pairs: ['BTC/USDT'] };
    expect(compareWarning([a, b])).toBeUndefined();
    expect(compareCard([a, b]).description).toBe(
      'a: 20250101-20250601, BTC/USDT, 1h\nb: 20250101-20250601, BTC/USDT, 1h',
    );
  });
});
