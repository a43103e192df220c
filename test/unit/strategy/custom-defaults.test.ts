import { describe, expect, it } from 'vitest';
import { currentDefaults, withFoundDefaults } from '../../../src/strategy/custom-defaults.ts';

const CODE = `from freqtrade.strategy import IStrategy, IntParameter, DecimalParameter


class Tuned(IStrategy):
    timeframe = "1h"
    stoploss = -0.10
    minimal_roi = {
        "0": 0.1,  # take 10% at once
        "60": 0.02,
    }
    buy_rsi = IntParameter(20, 40, default=30, space="buy")
    sell_rsi = IntParameter(
        60, 90,
        default=70,
        space="sell",
        optimize=True,
    )
    buy_gap = DecimalParameter(0.0, 0.05, decimals=3, default=(0.01), space="buy")
    label = "default=1"

    def populate_entry_trend(self, dataframe, metadata):
        dataframe.loc[dataframe["rsi"] < self.buy_rsi.value, "enter_long"] = 1
        return dataframe
`;

describe('writing found values into custom code', () => {
  it('changes only the defaults, the stop-loss and the ROI table', () => {
    const out = withFoundDefaults(CODE, {
      buy: { buy_rsi: 27, buy_gap: 0.023 },
      sell: { sell_rsi: 81 },
      stoploss: { stoploss: -0.187 },
      roi: { '0': 0.2, '120': 0, '30': 0.05 },
    });
    expect(out).toContain('buy_rsi = IntParameter(20, 40, default=27, space="buy")');
    expect(out).toContain('        default=81,\n        space="sell",');
    expect(out).toContain('buy_gap = DecimalParameter(0.0, 0.05, decimals=3, default=0.023, space="buy")');
    expect(out).toContain('    stoploss = -0.187\n');
    expect(out).toContain('    minimal_roi = {"0": 0.2, "30": 0.05, "120": 0}\n');
    // Nothing else moved: a string that looks like an argument, the methods.
    expect(out).toContain('label = "default=1"');
    expect(out.split('\n').length).toBe(CODE.split('\n').length - 3);
    expect(out.slice(out.indexOf('    def populate'))).toBe(CODE.slice(CODE.indexOf('    def populate')));
  });

  it('finds a parameter declared with a type annotation, as Freqtrade allows', () => {
    const typed = CODE.replace('    buy_rsi = IntParameter(', '    buy_rsi: IntParameter = IntParameter(');
    expect(withFoundDefaults(typed, { buy: { buy_rsi: 28 } })).toContain(
      'buy_rsi: IntParameter = IntParameter(20, 40, default=28, space="buy")',
    );
    expect(currentDefaults(typed).buy_rsi).toBe('30');
  });

  it('finds a stop-loss line with a type or a comment after it', () => {
    const typed = CODE.replace('    stoploss = -0.10\n', '    stoploss: float = -0.10  # 10%\n');
    expect(withFoundDefaults(typed, { stoploss: { stoploss: -0.05 } })).toContain(
      '    stoploss: float = -0.05  # 10%\n',
    );
  });

  it('refuses a value whose declaration it cannot find, saying what is missing', () => {
    expect(() => withFoundDefaults(CODE, { buy: { buy_adx: 25 } })).toThrow(
      /couldn't find the parameter buy_adx/,
    );
    expect(() =>
      withFoundDefaults(CODE.replace('    stoploss = -0.10\n', ''), { stoploss: { stoploss: -0.2 } }),
    ).toThrow(/plain "stoploss = -0.1" line/);
  });
});
