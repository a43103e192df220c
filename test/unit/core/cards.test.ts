// The strategy card shows what the offline parser filled in by convention (indicator settings) and the
// money-management fields, so no default is hidden from the trader.
import { describe, expect, it } from 'vitest';
import { strategyMessage } from '../../../src/core/cards.ts';
import { parseStrategyText } from '../../../src/strategy/offline-parser.ts';

function cardFor(text: string) {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { spec, name } = parsed;
  const view = { id: 'x', name, version: 1, description: text, timeframe: spec.timeframe, pairs: spec.pairs };
  return strategyMessage({ ...view, spec, className: 'X' }).card;
}

describe('strategy card', () => {
  it('shows default indicator settings in the signals', () => {
    const field = cardFor('ETH macd cross 4h stop 4%')?.fields.find((f) => f.name === 'Signals');
    expect(field?.value).toBe(
      'Enter long when MACD(12,26,9) crosses above MACD signal(12,26,9).\nExit long when MACD(12,26,9) crosses below MACD signal(12,26,9).',
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
