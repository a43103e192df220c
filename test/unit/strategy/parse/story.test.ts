// The trader's story around the rules: figures in a clause that tells what happened and sets no rule
// ("it did alright, like +11% over 6 weeks", "(down like 40% lol)") are background, said back, and
// neither read as a stop, a target or a timeframe nor asked about. A clause that sets a rule keeps them.
import { describe, expect, it } from 'vitest';
import { describeGroup } from '../../../../src/strategy/describe.ts';
import { parsed, refused } from '../../../support/parse.ts';

const background = (text: string) => parsed(text).assumptions.find((a) => a.startsWith('Read as background'));

describe('figures in the story around the rules', () => {
  it.each([
    [
      'back in march i was running a macd thing on btc and it did alright, like +11% over 6 weeks. btc 1h macd cross, stop 3%',
      '"+11%", "over 6 weeks"',
    ],
    ['been holding eth since 2021 (down like 40% lol). buy eth 1h when rsi below 30, sell above 70', '"40%"'],
    [
      'my last bot lost 9% in two weeks on XRP. Make a clean one: XRP 5m, EMA 12/26 cross, stop 2%',
      '"9%", "in 2 weeks"',
    ],
    [
      "I've been running a grid bot for about 3 months, made maybe 2.3% while btc went up 18%. I want btc 4h ema 20/50 cross",
      '"grid", "2.3%", "18%"',
    ],
    [
      'buy sol 1h when rsi crosses above 30, sell at rsi 70. I lost a bit on longs this month (-4.1%)',
      '"-4.1%"',
    ],
  ])('%s', (text, said) => {
    expect(background(text)).toBe(`Read as background, not as rules: ${said}.`);
  });

  it('keeps the stop and target it read beside the story', () => {
    const { spec } = parsed(
      'Previously I ran a bot on 3commas and got wrecked in the May 2022 crash (down 60%, lesson learned). BTC 30m, buy when macd crosses above signal, exit when it crosses below. Stoploss 1.5%, take profit 3%',
    );
    expect(spec.stoploss).toBe(-0.015);
    expect(spec.minimalRoi).toEqual({ '0': 0.03 });
  });

  it('keeps the figures of a clause that sets a rule, story or not', () => {
    expect(
      parsed('last time I used a 5% stop, btc 1h buy when rsi below 30, sell above 70').spec.stoploss,
    ).toBe(-0.05);
    // A percentage with no rule and no story is still asked about.
    expect(refused('btc 1h buy when rsi below 30, sell above 70, 12%')).toMatch(/not sure what 12% means/);
    // A kind of bot asked for, not told about, is still refused.
    expect(refused('I want a grid bot on btc 1h like the one I ran last year')).toMatch(/grid strategies/);
  });
});

describe('what the story never takes (a review found each taken)', () => {
  it.each([
    // A condition on a line, with a story word in its clause.
    [
      'eth 4h long when macd crosses up, but only while price is 2% above the 200 ema like it was in 2021',
      'close above 1.02 x EMA(200)',
    ],
  ])('%s', (text, condition) => {
    expect(JSON.stringify(parsed(text).assumptions)).not.toMatch(/background/);
    expect(describeGroup(parsed(text).spec.entry)).toContain(condition);
  });

  it('leaves a figure beside a line to the readers, asked about when none reads it', () => {
    expect(
      refused('btc 1h buy when rsi < 30 and price dumped 5% below the 20 ema, sell when rsi > 70'),
    ).toMatch(/5%/);
  });

  it('keeps settings said beside a story', () => {
    // A figure opening its clause is a setting: asked about, as before.
    expect(refused('eth 1h ema 9/21 cross, 2% stop, 4% like last time')).toMatch(/4%/);
    expect(parsed('btc 1h ema 9/21 cross, stake 2000 usdt per trade, stop 3%').spec.stakeAmount).toBe(2000);
    expect(refused('eth 4h ema 20/50 cross. hold for 5 days max, that was what i had last year')).not.toMatch(
      /background/,
    );
    expect(refused('eth 1h ema 9/21 cross, tsl 2%, that was my setting in 2024')).toBeTruthy();
  });
});

describe('the words of a story clause', () => {
  it.each([
    'Last time I lost 9% on this so be careful: buy ETH 4h when rsi below 30, sell above 70',
    'I lost 9% on this last time. buy ETH 4h when rsi below 30, sell above 70',
    'In 2022 this lost me 15%. ETH 4h: buy when rsi below 30, sell above 70',
    'buy ETH on 4h when rsi below 30, sell above 70. Last time I lost 9% on this',
  ])('are no condition: %s', (text) => {
    const { spec } = parsed(text);
    expect([describeGroup(spec.entry), describeGroup(spec.exit), spec.pairs, spec.timeframe]).toEqual([
      'RSI(14) below 30',
      'RSI(14) above 70',
      ['ETH/USDT'],
      '4h',
    ]);
  });

  it('keeps the coin and the candle size a story names', () => {
    const { spec } = parsed(
      'been holding eth on the 4 hour since 2021 (down like 40% lol). buy when rsi below 30',
    );
    expect([spec.pairs, spec.timeframe]).toEqual([['ETH/USDT'], '4h']);
  });
});

describe('figures about the trader, wherever said', () => {
  it.each([
    [
      'been in crypto since 2017, 3 kids, 40 hours a week job. eth 4h ema 20/50 cross with a 6% stop',
      '"3 kids", "40 hours a week"',
    ],
    ['with a 2000 usdt account, max 3 trades open, eth 4h ema 20/50 cross', '"a 2000 usdt account"'],
    ['I have a $500 account. eth 4h ema 20/50 cross', '"a $500 account"'],
    ['tried 14 different bots, all lost. simple: eth 4h ema 20/50 cross', '"14 different bots"'],
  ])('are background: %s', (text, said) => {
    const read = parsed(text);
    expect(describeGroup(read.spec.entry)).toBe('EMA(20) crosses above EMA(50)');
    expect(read.assumptions.join('\n')).toContain(`Read as background, not as rules: ${said}`);
  });
});
