// Free text through the LangGraph agent with the MongoDB checkpointer: offline (no key) and with a model
// behind a local chat-completions server, using the real @langchain/openai client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAI, modelEnv, startFakeOpenAI } from '../support/fake-openai.ts';

describe('agent without a model', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates a strategy from free text with the offline parser and remembers it', async () => {
    const out = await t.send('ETH EMA 12/26 crossover on 4h with a 3% stop');
    // First contact: a welcome with suggestion buttons, then the answer.
    expect(out[0]?.text).toMatch(/^Welcome to GenTrade!/);
    expect(out[0]?.buttons?.length).toBeGreaterThan(0);
    const created = out.find((m) => m.text.startsWith('Created'));
    expect(created?.text).toBeTruthy();
    const doc = await t.app.models.Strategy.findOne({}).lean();
    expect(doc?.spec).toMatchObject({ timeframe: '4h', pairs: ['ETH/USDT'], stoploss: -0.03 });

    // "backtest it" refers to the strategy the conversation just made (state from the checkpointer).
    const queued = await t.send('backtest it 20240101-20240401');
    expect(queued[0]?.progress?.state).toBe('queued');
    const final = await t.waitForFinal(String(queued[0]?.progress?.key));
    expect(final.progress?.state).toBe('succeeded');
  });

  it('answers small talk plainly, saying a model is needed', async () => {
    const out = await t.send('what do you think about the market?');
    expect(out.at(-1)?.text).toContain('OPENAI_API_KEY');
  });

  it('answers thanks and acknowledgements with a short reply, no model needed', async () => {
    for (const text of ['thanks', 'ok', 'great!']) {
      const reply = (await t.send(text)).at(-1)?.text ?? '';
      expect(reply).not.toContain('OPENAI_API_KEY');
      expect(reply).toMatch(/^(You're welcome!|Good\. What next\?)/);
    }
  });

  it('takes "it" to mean the strategy the last command was about', async () => {
    // The conversation made eth-ema-12-26-4h above; a command about another strategy moves "it".
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const proposed = (await t.send('make the stop 2%')).map((m) => m.text).join('\n');
    expect(proposed).toContain('btc-sma-20-50-1h');
    expect(proposed).not.toContain('eth-ema-12-26-4h');
    // A command supersedes the question; /show moves "it" back.
    await t.send('/show eth-ema-12-26-4h');
    const again = (await t.send('make the stop 4%')).map((m) => m.text).join('\n');
    expect(again).toContain('eth-ema-12-26-4h');
    expect(again).not.toContain('btc-sma-20-50-1h');
    await t.send('/strategies');
  });

  it('lists strategies and gives help from free text', async () => {
    expect((await t.send('list my strategies')).at(-1)?.text).toContain('Your strategies');
    expect((await t.send('help')).at(-1)?.text).toContain('/backtest');
  });
});

describe('agent with a model behind an OpenAI-compatible endpoint', () => {
  let t: TestApp;
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    t = await startTestApp(modelEnv(llm));
  });
  afterAll(async () => {
    await t?.stop();
    await llm?.close();
  });

  it('fills the spec through structured output', async () => {
    llm.script.push({
      json: {
        name: 'sol-rsi-dip',
        spec: {
          specVersion: 1,
          timeframe: '15m',
          pairs: ['SOL/USDT'],
          entry: { all: [{ op: 'below', left: { kind: 'rsi', period: 14 }, right: 25 }] },
          exit: { all: [{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 75 }] },
          stoploss: -0.04,
          minimalRoi: { '0': 0.08 },
        },
        assumptions: ['"Very low" read as RSI(14) below 25.'],
      },
    });
    const out = await t.send('/new buy SOL dips when RSI is very low on 15 minute candles');
    expect(out[0]?.text).toMatch(/^Created sol-rsi-dip/);
    // What the model filled in is said back on the card, as the offline parser's defaults are: each value
    // the request doesn't state, then the model's own reading of its words.
    expect(out[0]?.card?.fields).toContainEqual({
      name: 'Assumed',
      value: [
        'No RSI settings given: RSI(14).',
        'No levels given: RSI(14) below 25; RSI(14) above 75.',
        'No exit given: sell when RSI(14) above 75.',
        'No stop-loss named: 4%.',
        'No take-profit named: 8% (minimal ROI).',
        '"Very low" read as RSI(14) below 25.',
      ].join('\n'),
    });
    expect(llm.requests.length).toBe(1);
    const doc = await t.app.models.Strategy.findOne({ name: 'sol-rsi-dip' }).lean();
    expect(doc?.spec).toMatchObject({ timeframe: '15m', pairs: ['SOL/USDT'], stoploss: -0.04 });
  });

  it('falls back to the offline parser when the model fails', async () => {
    llm.script.push({ status: 500 });
    const out = await t.send('/new BTC SMA 10/30 cross on 1h with a 2% stop');
    expect(out[0]?.text).toMatch(/^Created/);
    const doc = await t.app.models.Strategy.findOne({ 'spec.stoploss': -0.02 }).lean();
    expect(doc?.spec).toMatchObject({ timeframe: '1h', pairs: ['BTC/USDT'] });
  });

  it('falls back to the offline parser when the model answers an invalid spec', async () => {
    llm.script.push({ json: { name: 'x', spec: { specVersion: 1, timeframe: '7m' } } });
    const out = await t.send('/new ETH SMA 5/15 cross on 1h');
    expect(out[0]?.text).toMatch(/^Created/);
  });

  it('uses the model for small talk, but never passes on a number of its own', async () => {
    llm.script.push({ text: 'I build and backtest Freqtrade strategies.' });
    const out = await t.send('hello there, who are you?');
    expect(out.at(-1)?.text).toBe('I build and backtest Freqtrade strategies.');

    llm.script.push({ text: 'BTC will gain 12% this week; a 3% stop is plenty.' });
    const invented = (await t.send('what do you think of BTC with a 3% stop?')).at(-1)?.text ?? '';
    expect(invented).not.toContain('12%');
    expect(invented).toContain('only quote figures from your own backtests');

    // A comparison with holding is a claim about figures the chat reply doesn't have: never passed on.
    llm.script.push({ text: 'Yes, it comfortably beat buy and hold over that period.' });
    const claimed = (await t.send('did it beat holding?')).at(-1)?.text ?? '';
    expect(claimed).not.toMatch(/beat buy and hold/);
    expect(claimed).toContain('only quote figures from your own backtests');

    llm.script.push({ text: 'A 3% stop is tight for BTC on 1h candles.' });
    expect((await t.send('is a 3% stop tight on 1h?')).at(-1)?.text).toBe(
      'A 3% stop is tight for BTC on 1h candles.',
    );
  });
});
