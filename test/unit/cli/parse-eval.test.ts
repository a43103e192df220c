// parse-eval's three counts on requests with known outcomes: a strategy that keeps every stated fact,
// a question (the parser's, or a pair the market list lacks), and each way a strategy can misread.
import { describe, expect, it } from 'vitest';
import { type EvalRequest, judge } from '../../../src/cli/parse-eval.ts';

const MARKETS = new Set(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
const req = (text: string, facts: Partial<EvalRequest> = {}): EvalRequest => ({
  id: 'x',
  text,
  expect: 'strategy',
  ...facts,
});

describe('parse-eval', () => {
  it('counts a strategy keeping every stated fact as intended', () => {
    const verdict = judge(
      req('ETH RSI(14) below 30, above 70 on 4h with a 5% stop', {
        pairs: ['ETH/USDT'],
        timeframe: '4h',
        indicators: ['rsi'],
        params: { rsi: [14] },
        levels: { rsi: [30, 70] },
        stoploss: -0.05,
      }),
      MARKETS,
    );
    expect(verdict).toEqual({ outcome: 'intended' });
  });

  it("counts the window of OBV's own channel as OBV's window", () => {
    const text = 'sol daily, buy when obv breaks its 30 day high';
    expect(judge(req(text, { params: { obv: [30] } }), MARKETS)).toEqual({ outcome: 'intended' });
    expect(judge(req(text, { params: { obv: [20] } }), MARKETS)).toMatchObject({ outcome: 'misread' });
  });

  it('counts a refusal, and a pair outside the market list, as asked', () => {
    expect(judge(req('make me money'), MARKETS)).toMatchObject({ outcome: 'asked', expected: 'strategy' });
    expect(judge(req('doge rsi 30/70', { expect: 'question' }), MARKETS)).toEqual({
      outcome: 'asked',
      reason: 'not in the market list: DOGE/USDT',
      expected: 'question',
    });
  });

  it.each([
    ['timeframe', req('eth sma 20/50 cross on 4h', { timeframe: '1h' }), 'timeframe 4h not 1h'],
    ['pairs', req('eth sma 20/50 cross', { pairs: ['SOL/USDT'] }), 'pairs ETH/USDT not SOL/USDT'],
    ['an indicator', req('eth sma 20/50 cross', { indicators: ['macd'] }), 'no macd'],
    ['a window', req('eth sma 20/50 cross', { params: { sma: [10] } }), 'sma window 10 missing (has 20,50)'],
    ['an ATR stop', req('eth sma 20/50 cross', { stoploss: 'atr' }), 'ATR stop read as a fixed -0.1'],
    ['the direction', req('eth sma 20/50 cross', { direction: 'short' }), 'direction long not short'],
    [
      'a question expected',
      req('eth sma 20/50 cross', { expect: 'question' }),
      'a strategy where a question was expected',
    ],
  ])('counts a strategy contradicting %s as misread', (_what, request, why) => {
    const verdict = judge(request, MARKETS);
    expect(verdict.outcome).toBe('misread');
    expect(verdict.outcome === 'misread' && verdict.why).toContain(why);
  });
});
