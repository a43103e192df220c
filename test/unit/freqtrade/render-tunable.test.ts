// The optimisation's rendering: the chosen levels become Freqtrade hyperopt parameters that the
// conditions read, with the spec's numbers as defaults; without a choice the code is the ordinary one.
import { describe, expect, it } from 'vitest';
import { renderStrategy } from '../../../freqtrade/render.ts';
import { strategyClassName } from '../../../src/strategy/spec.ts';
import { conditionsIn } from '../../../src/strategy/spec-walk.ts';
import { specTunables } from '../../../src/strategy/tunables.ts';
import { GOLDEN } from '../../fixtures/golden/specs.ts';

const rsi = GOLDEN.find((g) => g.name === 'sol-rsi-30-70-15m');
if (rsi === undefined) throw new Error('missing golden spec');
const names = { className: strategyClassName(rsi.name), name: rsi.name };

describe('tunable rendering', () => {
  it('lists the levels with ranges around them, then the stop-loss and the ROI table', () => {
    const tunables = specTunables(rsi.spec);
    expect(tunables.map((t) => t.name)).toEqual(['entry_level_1', 'exit_level_1', 'stoploss', 'roi']);
    expect(tunables[0]).toMatchObject({ space: 'buy', value: 30, low: 15, high: 45, integer: true });
    expect(tunables[1]).toMatchObject({ space: 'sell', value: 70, low: 35, high: 100 });
  });

  it("keeps an oscillator's levels on its scale and a between's two levels apart", () => {
    const spec = structuredClone(rsi.spec);
    const entry = conditionsIn(spec.entry)[0];
    if (!entry) throw new Error('unexpected golden entry');
    spec.entry = { all: [{ left: entry.left, op: 'between', low: 40, high: 60 }] };
    const [low, high] = specTunables(spec);
    expect(low).toMatchObject({ name: 'entry_level_1', value: 40, low: 20, high: 50 });
    expect(high).toMatchObject({ name: 'entry_level_2', value: 60, low: 51, high: 90 });
    // Whatever the search picks, low stays under high.
    expect((low as { high: number }).high).toBeLessThan((high as { low: number }).low);
  });

  it('renders the chosen levels as hyperopt parameters the conditions read', () => {
    const code = renderStrategy(rsi.spec, names, ['entry_level_1']);
    expect(code).toContain('from freqtrade.strategy import DecimalParameter, IntParameter, IStrategy');
    expect(code).toContain('    entry_level_1 = IntParameter(15, 45, default=30, space="buy")\n');
    expect(code).toContain('self.entry_level_1.value');
    // The exit level was not chosen: it stays the spec's number.
    expect(code).not.toContain('exit_level_1');
    expect(code).toContain('70');
  });

  it('keeps the ordinary code byte for byte when nothing is tuned', () => {
    const plain = renderStrategy(rsi.spec, names);
    expect(renderStrategy(rsi.spec, names, [])).toBe(plain);
    expect(plain).not.toContain('Parameter');
  });
});
