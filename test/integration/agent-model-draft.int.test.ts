// A model's draft gets what the offline parser gives (issue 12): the drafting prompt carries the spec
// language's schema and worked examples, the defaults the model filled are said back on the card, and a
// pair the market list lacks or the text doesn't name is a question, never a strategy. The real
// @langchain/openai client against a scripted chat-completions server, the real engine and database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAI, modelEnv, type Scripted, startFakeOpenAI } from '../support/fake-openai.ts';

const rsi = { kind: 'rsi', period: 14 };

/** An RSI 30/70 strategy, as a model would draft it, on the given pair and timeframe. */
function rsiDraft(name: string, pair: string, timeframe: string, assumptions: string[] = []): Scripted {
  return {
    json: {
      name,
      spec: {
        specVersion: 2,
        timeframe,
        pairs: [pair],
        entry: { all: [{ op: 'below', left: rsi, right: 30 }] },
        exit: { all: [{ op: 'above', left: rsi, right: 70 }] },
        stoploss: -0.1,
      },
      assumptions,
    },
  };
}

const texts = (out: OutgoingMessage[]) => out.map((m) => m.text ?? '').join('\n');

describe('a model draft, held to the parser', () => {
  let t: TestApp;
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    t = await startTestApp(modelEnv(llm, { timeoutMs: 20000 }));
  });
  afterAll(async () => {
    await t?.stop();
    await llm?.close();
  });

  it('prompts with the schema and worked examples, and says back the defaults the model filled', async () => {
    const before = llm.requests.length;
    llm.script.push(
      rsiDraft('eth-rsi-4h', 'ETH/USDT', '4h', [
        // Said back: nothing above says it. Left out: the parser's lines say RSI's settings, and 999
        // is nowhere in the spec or the request.
        'Trades spot, long only.',
        'RSI(14) levels assumed.',
        'Expect about 999 trades a year.',
      ]),
    );
    const out = await t.send('/new eth rsi strategy 4h');
    const prompt = JSON.stringify(llm.requests[before]);
    // The schema, generated from the zod spec: every series kind with its parameters.
    expect(prompt).toContain('{kind: \\"rsi\\", period: integer 2..200, timeframe?: Timeframe}');
    expect(prompt).toContain(
      'atrStop?: {period?: integer 2..200 = 14, multiplier: number 0.5..10, trailing?: boolean}',
    );
    // The worked examples, as the offline parser reads them.
    expect(prompt).toContain('Request: BTC SMA 20/50 cross on 1h with a 5% stop');
    expect(prompt).toContain('No RSI levels given: buy below 30 (oversold), sell above 70 (overbought).');

    const card = out.at(-1)?.card;
    expect(out.at(-1)?.text).toMatch(/^Created eth-rsi-4h\./);
    const assumed = card?.fields.find((f) => f.name === 'Assumed')?.value.split('\n');
    expect(assumed).toEqual([
      'No RSI settings given: RSI(14).',
      'No levels given: RSI(14) below 30; RSI(14) above 70.',
      'No exit given: sell when RSI(14) above 70.',
      'No stop-loss named: 10%.',
      'Trades spot, long only.',
    ]);
  });

  it('asks instead of creating when the model names a pair the market list lacks', async () => {
    const count = await t.app.models.Strategy.countDocuments({});
    llm.script.push(rsiDraft('dip-rsi', 'DIP/USDT', '1h'));
    const out = await t.send('/new buy the dip when rsi is under 30 on 1h, sell over 70');
    expect(texts(out)).toContain(
      "I don't know the pair DIP/USDT. Which pair should the strategy trade? Available pairs: BNB/USDT, BTC/USDT, ETH/USDT, SOL/USDT, XRP/USDT.",
    );
    expect(out.some((m) => m.code)).toBe(false);
    expect(await t.app.models.Strategy.countDocuments({})).toBe(count);
  });

  it('asks instead of creating when the model trades a coin the text does not name', async () => {
    const count = await t.app.models.Strategy.countDocuments({});
    llm.script.push(rsiDraft('sol-rsi', 'SOL/USDT', '1h'));
    const out = await t.send('/new buy ETH when rsi is under 30 on 1h, sell over 70');
    expect(texts(out)).toContain(
      'Your message names ETH, not SOL/USDT. Which pair should the strategy trade?',
    );
    expect(await t.app.models.Strategy.countDocuments({})).toBe(count);
  });
});
