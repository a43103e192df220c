// The offline agent on what a reviewer of issue 5 found: removals that made a new strategy, periods
// dropped without a word, edits that claimed changes they didn't make, the catch-all answer, result
// questions that missed the explanation, and "it" after a delete. Real app, real FerretDB checkpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const texts = (msgs: OutgoingMessage[]) => msgs.map((m) => m.text);
const last = (msgs: OutgoingMessage[]) => msgs.at(-1)?.text ?? '';

const BOTH = 'btc-sma20-sma50-rsi-1h';
const RSI = 'eth-rsi-30-70-4h';

describe('the offline agent after review', () => {
  let t: TestApp;
  const count = () => t.app.models.Strategy.countDocuments({});
  beforeAll(async () => {
    t = await startTestApp();
    await t.send(
      '/new buy BTC when SMA 20 crosses above SMA 50 and RSI is below 30, sell when SMA 20 crosses below SMA 50, on 1h with a 5% stop',
    );
    await t.send('/new Buy ETH when RSI(14) is below 30, sell above 70 on 4h');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('takes a part out of the strategy in focus, and never creates one from a removal', async () => {
    const before = await count();
    await t.send(`show ${BOTH}`);
    const asked = await t.send('delete the rsi condition');
    expect(last(asked)).toBe(
      `Change ${BOTH}: entry: SMA(20) crosses above SMA(50) and RSI(14) below 30 → SMA(20) crosses above SMA(50). Save it as a new version?`,
    );
    expect(last(await t.send('no'))).toBe(`Cancelled; ${BOTH} was not changed.`);
    expect(last(await t.send('drop the macd'))).toBe(
      `${BOTH} has no MACD condition to remove; nothing to change.`,
    );
    expect(last(await t.send('remove the trailing stop'))).toBe(
      `${BOTH} has no trailing stop; nothing to change.`,
    );
    expect(last(await t.send('get rid of the second condition'))).toContain('needs a language model');
    expect(await count()).toBe(before);
  });

  it('reads the periods it can, and says so when it cannot, instead of running the default', async () => {
    const backtests = () => t.app.models.Backtest.countDocuments({});
    const queued = await backtests();
    const cant = async (text: string, sentence: string) => {
      expect(last(await t.send(text))).toBe(sentence);
      expect(await backtests()).toBe(queued);
    };
    await cant(
      `backtest ${BOTH} next year`,
      'The market data ends on 2025-12-31, so "next year" has no candles to test. Pick a period before that, for example "last 6 months".',
    );
    await cant(
      'backtest it the year before the halving',
      'I can\'t read the period "the year before the halving". Say for example "last 6 months", "2024" or 20240101-20240701.',
    );
    await cant(
      'backtest it in 2022 and 2024',
      '"2022 and 2024" is not one continuous period, and a backtest runs over one range. Say "2022-2024" for all of it, or one year at a time.',
    );
    expect((await t.send('backtest it 2023-2024'))[0]?.text).toContain(
      `Backtest of ${BOTH} 20230101-20250101`,
    );
    expect((await t.send('backtest it in 2023 and 2024'))[0]?.text).toContain('20230101-20250101');
    const days = await t.send('backtest it for 90 days');
    expect(days[0]?.text).toContain('20251002-20251231');
    expect(days[1]?.text).toBe(
      'Period: 2025-10-02 to 2025-12-31 ("for 90 days", read against the end of the market data on 2025-12-31).',
    );
  });

  it('says what is already so, instead of proposing a change that changes nothing', async () => {
    await t.send(`show ${BOTH}`);
    expect(last(await t.send('change to 1h'))).toBe(`${BOTH} already runs on 1h; nothing to change.`);
    expect(last(await t.send('only enter when RSI is under 30'))).toBe(
      `${BOTH} already has RSI(14) below 30 in its entry; nothing to change.`,
    );
    await t.send(`show ${RSI}`);
    expect(last(await t.send('use EMA instead'))).toBe(
      `${RSI} has no moving averages to switch to EMA; nothing to change.`,
    );
    expect(last(await t.send('change to 4h'))).toBe(`${RSI} already runs on 4h; nothing to change.`);
  });

  it('tells text it did not catch from a request that needs a model, and a stray yes from an answer', async () => {
    expect(last(await t.send('asdkjh qwe zzz'))).toMatch(/^I didn't catch that\. .*\/help/);
    expect(last(await t.send('how are you?'))).toMatch(/^All good here/);
    expect(last(await t.send('tell me a joke'))).toContain('needs a language model');
    expect(last(await t.send('yes'))).toMatch(/^Nothing is waiting for an answer\./);
    expect(last(await t.send('no'))).toMatch(/^Nothing is waiting for an answer\./);
  });

  it('routes questions about the result to the explanation', async () => {
    await t.send(`show ${RSI}`);
    const none = `${RSI} has no finished backtest yet, so there is nothing to explain. Say "backtest it" first.`;
    for (const q of ['what was the win rate?', 'how many trades?', 'what is the drawdown?', 'how did it do?'])
      expect(last(await t.send(q))).toBe(none);
  });

  it('says which strategy "it" means once the one it meant is deleted', async () => {
    await t.send('/new SOL SMA 10/30 cross on 1h with a 4% stop');
    await t.send('show sol-sma-10-30-1h');
    await t.send('delete it');
    expect(last(await t.send('yes'))).toBe('Deleted sol-sma-10-30-1h.');
    // The next "delete it" names the strategy it now means, and says why, before asking.
    const next = await t.send('delete it');
    expect(texts(next)).toEqual([
      `sol-sma-10-30-1h was deleted, so I take "it" to mean ${RSI}, your most recent strategy.`,
      `Delete ${RSI}? This cannot be undone.`,
    ]);
    expect(last(await t.send('no'))).toBe(`Cancelled; ${RSI} was kept.`);
    // Said once: from here on "it" is that strategy.
    expect(texts(await t.send('show it'))[0]).not.toContain('was deleted');
  });

  it('removes a trailing stop the strategy has, and the strategy keeps working after it', async () => {
    const ADX = 'bnb-adx-1h';
    await t.send(
      '/new ADX above 25 and +DI crosses above -DI on BNB 1h with trailing stop 2% and take profit 5%',
    );
    await t.send(`show ${ADX}`);
    const asked = last(await t.send('remove the trailing stop'));
    expect(asked).toMatch(new RegExp(`^Change ${ADX}: .*trailing stop.*Save it as a new version\\?$`));
    expect(last(await t.send('yes'))).not.toMatch(/not valid|no longer valid/);
    const stored = await t.app.models.Strategy.findOne({ name: ADX }).lean();
    expect(stored?.version).toBe(2);
    expect(Object.keys(stored?.spec ?? {})).not.toContain('trailingStop');
    for (const text of [`show ${ADX}`, '/strategies'])
      expect(texts(await t.send(text)).join('\n')).not.toContain('no longer valid');
    expect((await t.send('backtest it'))[0]?.text).toContain(`Backtest of ${ADX} `);
    // Removals said as "no", "no more" and "without" are edits, never a new strategy.
    const before = await count();
    expect(last(await t.send('no trailing stop'))).toBe(`${ADX} has no trailing stop; nothing to change.`);
    // The take profit is now its only way out, so taking it out too is refused (an edit, not a creation).
    expect(last(await t.send('without the take profit'))).toBe(
      "That change isn't valid: a strategy needs a way to take profit: add an exit condition, a minimalRoi target or a trailing stop. Nothing was changed.",
    );
    expect(last(await t.send('no more rsi'))).toBe(
      `${ADX} has no RSI condition to remove; nothing to change.`,
    );
    expect(last(await t.send('remove the 3% stop'))).toContain('Every strategy keeps a stop-loss');
    expect(await count()).toBe(before);
  });

  it('says a period it cannot read, and ends one that runs past the data where the data ends', async () => {
    const backtests = () => t.app.models.Backtest.countDocuments({});
    await t.send(`show ${BOTH}`);
    const queued = await backtests();
    for (const words of ['sometime', 'during the dip']) {
      expect(last(await t.send(`backtest it ${words}`))).toBe(
        `I can't read the period "${words}". Say for example "last 6 months", "2024" or 20240101-20240701.`,
      );
    }
    expect(await backtests()).toBe(queued);
    const past = texts(await t.send('backtest it 2024-2026'));
    expect(past[0]).toContain(`Backtest of ${BOTH} 20240101-20251231`);
    expect(past[1]).toBe('Period: 2024-01-01 to 2025-12-31, where the market data ends ("2024-2026").');
    const from = texts(await t.send('backtest it from 2024-03-01'));
    expect(from[0]).toContain(`Backtest of ${BOTH} 20240301-20251231`);
    expect(from[1]).toBe(
      'Period: 2024-03-01 to 2025-12-31 ("from 2024-03-01", read against the end of the market data on 2025-12-31).',
    );
  });

  it('backtests on the pairs the request names, and refuses one without data with a sentence', async () => {
    await t.send(`show ${BOTH}`);
    const on = texts(await t.send('backtest it on ETH/USDT'));
    expect(on[0]).toMatch(new RegExp(`^Backtest of ${BOTH} \\d{8}-\\d{8} on ETH/USDT \\(1h\\): queued\\.`));
    const both = texts(await t.send('backtest it for eth/usdt and sol/usdt over 2024'));
    expect(both[0]).toContain(`Backtest of ${BOTH} 20240101-20250101 on ETH/USDT, SOL/USDT (1h)`);
    expect(last(await t.send('backtest it on DOGE/USDT'))).toMatch(
      /^I don't know the pair "DOGE\/USDT"|^There is no 1h market data for DOGE\/USDT/,
    );
  });
});
