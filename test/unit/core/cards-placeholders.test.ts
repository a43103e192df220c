// Freqtrade fills ratios it cannot compute with flags (profit factor 0 and Sortino -100 with no losing
// trade, Calmar 0 without a drawdown, ratios of 0 with no trades). The result and compare cards show
// each as "n/a" with the reason, never as a figure.
import { describe, expect, it } from 'vitest';
import { compareCard, resultCard } from '../../../src/core/cards.ts';
import { ALL_WON_RUN, LOSING_RUN, NO_TRADES_RUN as NO_TRADES } from '../../support/summaries.ts';

const field = (card: ReturnType<typeof resultCard>, name: string) =>
  card.fields?.find((f) => f.name === name)?.value;

describe('result card placeholders', () => {
  it('shows a no-loss run’s profit factor, Sortino and zero Calmar as n/a with the reason', () => {
    const card = resultCard('btc', '20240101-20240701', ['BTC/USDT'], { ...ALL_WON_RUN, calmar: 0 });
    expect(field(card, 'Profit factor')).toBe('n/a (no losing trade)');
    expect(field(card, 'Sortino')).toBe('n/a (no losing trade)');
    expect(field(card, 'Calmar')).toBe('n/a (no drawdown)');
    expect(field(card, 'Sharpe')).toBe('3.10');
    expect(JSON.stringify(card)).not.toContain('-100');
  });

  it('shows every ratio of a run without trades as n/a (no trades)', () => {
    const card = resultCard('btc', '20240101-20240701', ['BTC/USDT'], NO_TRADES);
    for (const name of ['Win rate', 'Sharpe', 'Sortino', 'Calmar', 'Profit factor', 'Expectancy', 'CAGR']) {
      expect(field(card, name), name).toBe('n/a (no trades)');
    }
  });

  it('names a single trade and a single losing trade', () => {
    const one = resultCard('btc', 'r', ['BTC/USDT'], {
      ...LOSING_RUN,
      trades: 1,
      wins: 0,
      losses: 1,
      sharpe: -100,
      sortino: -100,
    });
    expect(field(one, 'Sharpe')).toBe('n/a (one trade)');
    expect(field(one, 'Sortino')).toBe('n/a (one losing trade)');
  });

  it('keeps real figures as they are', () => {
    const card = resultCard('btc', 'r', ['BTC/USDT'], { ...LOSING_RUN, sortino: -1.25, calmar: -0.5 });
    expect(field(card, 'Sortino')).toBe('-1.25');
    expect(field(card, 'Calmar')).toBe('-0.50');
    expect(field(card, 'Profit factor')).toBe('0.83');
  });

  it('does the same side by side on the compare card', () => {
    const card = compareCard([
      { name: 'a', timerange: 'r', pairs: ['BTC/USDT'], summary: ALL_WON_RUN },
      { name: 'b', timerange: 'r', pairs: ['BTC/USDT'], summary: LOSING_RUN },
    ]);
    expect(card.fields?.find((f) => f.name === 'Sortino')?.value).toBe('n/a (no losing trade) | n/a');
    expect(card.fields?.find((f) => f.name === 'Profit factor')?.value).toBe('n/a (no losing trade) | 0.83');
  });
});
