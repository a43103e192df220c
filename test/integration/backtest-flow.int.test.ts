// The whole spine through the conversation core: /new, /backtest, the Agenda job runs real Freqtrade on
// the generated sample data, and the posted card's figures are the ones in Freqtrade's result file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

function field(card: { fields: { name: string; value: string }[] } | undefined, name: string): string {
  const f = card?.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${JSON.stringify(card)}`);
  return f.value;
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;

describe('create and backtest through the conversation core', () => {
  it('creates a strategy from /new and posts a result card with Freqtrade numbers', async () => {
    const created = await t.send('/new create a BTC/USDT SMA 20/50 cross strategy on 1h with a 5% stop');
    expect(created[0]?.text).toMatch(/^Created /);
    const strategy = await t.app.models.Strategy.findOne({}).lean();
    expect(strategy).toBeTruthy();
    if (!strategy) return;
    expect(strategy.code).toContain('INTERFACE_VERSION = 3');
    expect(strategy.code).toContain('stoploss = -0.05');

    const queued = await t.send(`/backtest ${strategy.name} 20240101-20240701`);
    const key = queued[0]?.progress?.key;
    expect(queued[0]?.progress?.state).toBe('queued');
    expect(key).toMatch(/^[a-f0-9]{24}$/);
    if (!key) return;

    const final = await t.waitForFinal(key);
    expect(final.progress?.state, final.text).toBe('succeeded');
    const running = t.posted.find((m) => m.progress?.key === key && m.progress.state === 'running');
    expect(running).toBeTruthy();

    const bt = await t.app.models.Backtest.findById(key).lean();
    expect(bt?.status).toBe('succeeded');
    expect(bt?.startedAt).toBeInstanceOf(Date);
    expect(bt?.finishedAt).toBeInstanceOf(Date);
    const raw = JSON.parse(readFileSync(String(bt?.resultPath), 'utf8'));
    const stats = raw.strategy[strategy.className];
    expect(stats.total_trades).toBeGreaterThan(0);

    const card = final.card;
    expect(field(card, 'Trades')).toBe(String(stats.total_trades));
    expect(field(card, 'Win rate')).toBe(pct(stats.winrate));
    expect(field(card, 'Total profit')).toBe(
      `${pct(stats.profit_total)} (${stats.profit_total_abs.toFixed(2)} USDT)`,
    );
    expect(field(card, 'Max drawdown')).toContain(pct(stats.max_drawdown_account));
    expect(field(card, 'Sharpe')).toBe(stats.sharpe.toFixed(2));
    expect(field(card, 'Sortino')).toBe(stats.sortino.toFixed(2));
    expect(field(card, 'Calmar')).toBe(stats.calmar.toFixed(2));
    expect(field(card, 'Profit factor')).toBe(stats.profit_factor.toFixed(2));
    expect(field(card, 'CAGR')).toBe(pct(stats.cagr));
    expect(field(card, 'Market change')).toBe(pct(stats.market_change));
    expect(field(card, 'Period')).toBe(
      `${stats.backtest_start.slice(0, 10)} to ${stats.backtest_end.slice(0, 10)}`,
    );

    // The operator can follow the backtest in the JSON log by its events and correlation id.
    const events = t.logs.filter((l) => l.backtestId === key).map((l) => l.event);
    expect(events).toEqual(
      expect.arrayContaining(['backtest_queued', 'backtest_started', 'backtest_finished']),
    );
    const finished = t.logs.find((l) => l.event === 'backtest_finished' && l.backtestId === key);
    expect(finished).toMatchObject({
      strategy: strategy.name,
      timerange: '20240101-20240701',
      pairs: ['BTC/USDT'],
    });
    expect(finished?.durationMs).toEqual(expect.any(Number));
    expect(finished?.user).toBe(strategy.ownerId.toString());
    const correlationIds = new Set(t.logs.filter((l) => l.backtestId === key).map((l) => l.correlationId));
    expect(correlationIds.size).toBe(1);

    // /show reports the stored result.
    const shown = await t.send(`/show ${strategy.name}`);
    expect(field(shown[0]?.card, 'Latest backtest')).toContain(`${stats.total_trades} trades`);
  });

  it('names the pairs of a latest backtest run on other coins than the strategy trades', async () => {
    const created = await t.send('/new eth 4h buy when rsi crosses above 30, sell when rsi above 70');
    const name = /^Created ([a-z0-9-]+)\./.exec(created[0]?.text ?? '')?.[1];
    expect(created[0]?.card?.fields.find((f) => f.name === 'Pairs')?.value).toBe('ETH/USDT');
    const queued = await t.send(`/backtest ${name} 20240101-20240401 SOL/USDT`);
    await t.waitForFinal(String(queued[0]?.progress?.key));
    const shown = await t.send(`/show ${name}`);
    expect(field(shown[0]?.card, 'Pairs')).toBe('ETH/USDT');
    expect(field(shown[0]?.card, 'Latest backtest')).toMatch(/^SOL\/USDT, 20240101-20240401: \d+ trades/);
  });

  it('keeps the defaults it assumed on /show until an edit', async () => {
    const created = await t.send('/new eth 4h rsi strategy');
    const name = /^Created ([a-z0-9-]+)\./.exec(created[0]?.text ?? '')?.[1];
    const assumed = field(created[0]?.card, 'Assumed');
    expect(assumed).toMatch(/RSI/);
    expect(field((await t.send(`/show ${name}`))[0]?.card, 'Assumed')).toBe(assumed);
    const doc = await t.app.models.Strategy.findOne({ name }).lean();
    if (!doc) throw new Error(`${name} not stored`);
    // What the edit form saves: the spec with one field changed.
    await t.app.strategies.update(doc.ownerId, doc._id.toString(), { ...doc.spec, stoploss: -0.03 });
    const after = (await t.send(`/show ${name}`))[0]?.card;
    expect(after?.title).toBe(`${name} (v2)`);
    expect(after?.fields.map((f) => f.name)).not.toContain('Assumed');
  });

  it('only shows a user their own strategies', async () => {
    const strategy = await t.app.models.Strategy.findOne({}).lean();
    const other = await t.send(`/show ${strategy?.name}`, 'mallory');
    expect(other[0]?.text).toContain('no strategy called');
    const list = await t.send('/strategies', 'mallory');
    expect(list[0]?.text).toContain('no strategies yet');
  });
});

describe('bad input gets a clear sentence and stores nothing', () => {
  async function counts() {
    return {
      strategies: await t.app.models.Strategy.countDocuments(),
      backtests: await t.app.models.Backtest.countDocuments(),
    };
  }

  it('refuses an empty description', async () => {
    const before = await counts();
    const out = await t.send('/new');
    expect(out[0]?.text).toContain('Describe the strategy');
    const blank = await t.send('/new    ');
    expect(blank[0]?.text).toContain('Describe the strategy');
    expect(await counts()).toEqual(before);
  });

  it('refuses a description it cannot read', async () => {
    const before = await counts();
    const out = await t.send('/new make me rich quickly');
    expect(out[0]?.text).toMatch(/^I couldn't find an indicator|indicator/i);
    expect(out[0]?.text).not.toMatch(/^Created/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown strategy', async () => {
    const before = await counts();
    const out = await t.send('/backtest no-such-strategy 20240101-20240701');
    expect(out[0]?.text).toBe(
      'You have no strategy called "no-such-strategy". Type /strategies to see yours.',
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses reversed and unparseable date ranges', async () => {
    const s = await t.app.models.Strategy.findOne({}).lean();
    const before = await counts();
    const reversed = await t.send(`/backtest ${s?.name} 20240701-20240101`);
    expect(reversed[0]?.text).toContain('ends before it starts');
    const garbage = await t.send(`/backtest ${s?.name} 2024-13-45-99`);
    expect(garbage[0]?.text).toMatch(/can't read|doesn't exist/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a pair that is not in the markets snapshot', async () => {
    const s = await t.app.models.Strategy.findOne({}).lean();
    const before = await counts();
    const unknown = await t.send(`/backtest ${s?.name} 20240101-20240701 DOGE/USDT`);
    expect(unknown[0]?.text).toContain('I don\'t know the pair "DOGE/USDT"');
    expect(unknown[0]?.text).toContain('BTC/USDT');
    expect(await counts()).toEqual(before);
  });

  it('refuses a range outside the data before queueing', async () => {
    const s = await t.app.models.Strategy.findOne({ 'spec.timeframe': '1h' }).lean();
    const before = await counts();
    const out = await t.send(`/backtest ${s?.name} 20190101-20190301`);
    expect(out[0]?.text).toBe(
      'There are no BTC/USDT 1h candles in 20190101-20190301. The data covers 2023-01-01 to 2025-12-31; pick dates in between.',
    );
    expect(await counts()).toEqual(before);
  });

  it('backtests 1m candles where they exist: the last 90 days of the data', async () => {
    const created = await t.send('/new BTC SMA 20/50 cross on 1m with a 5% stop');
    expect(created[0]?.text).toMatch(/^Created /);
    const s = await t.app.models.Strategy.findOne({ 'spec.timeframe': '1m' }).lean();
    const before = await counts();
    // Before the 1m candles: refused, naming the dates that exist.
    const early = await t.send(`/backtest ${s?.name} 20240101-20240701`);
    expect(early[0]?.text).toBe(
      'There are no BTC/USDT 1m candles in 20240101-20240701. The data covers 2025-10-03 to 2025-12-31; pick dates in between.',
    );
    expect(await counts()).toEqual(before);

    // The default year runs, and is announced, from the day the 1m candles start.
    const queued = await t.send(`/backtest ${s?.name}`);
    expect(queued[0]?.text).toBe(`Backtest of ${s?.name} 20251003-20251231 on BTC/USDT (1m): queued.`);
    const final = await t.waitForFinal(String(queued[0]?.progress?.key));
    expect(final.progress?.state, final.text).toBe('succeeded');
    expect(field(final.card, 'Period')).toMatch(/^2025-10-\d\d to 2025-12-31$/);
  });

  it('says on the result card which entry condition never fired when a backtest makes no trades', async () => {
    const created = await t.send('/new BTC buy when rsi is below 1, take profit 5%, stop 5% on 1h');
    expect(created[0]?.text).toContain('btc-rsi-1-1h');
    const queued = await t.send('/backtest btc-rsi-1-1h 20240101-20240201');
    const final = await t.waitForFinal(String(queued[0]?.progress?.key));
    const card = final.card;
    expect(card?.fields.find((f) => f.name === 'Trades')?.value).toBe('0');
    const why = card?.fields.find((f) => f.name === 'Why no trades')?.value;
    expect(why).toContain('RSI(14) below 1');
    expect(why).toMatch(/never/);
    // The agent's explanation quotes the same diagnosis, stored with the backtest.
    const explained = await t.send('why so few trades with btc-rsi-1-1h?');
    expect(explained.at(-1)?.text).toContain(String(why));
  });

  it('posts a failure the user can act on when the strategy no longer loads', async () => {
    const s = await t.app.models.Strategy.findOne({ 'spec.timeframe': '1h' }).lean();
    const good = s?.code;
    await t.app.models.Strategy.updateOne({ _id: s?._id }, { $set: { code: `${good}\n    def broken(:\n` } });
    try {
      const queued = await t.send(`/backtest ${s?.name} 20240101-20240201`);
      const key = queued[0]?.progress?.key;
      expect(key).toBeTruthy();
      const final = await t.waitForFinal(String(key));
      expect(final.progress?.state).toBe('failed');
      expect(final.text).toContain(`Backtest of ${s?.name} 20240101-20240201 failed:`);
      const bt = await t.app.models.Backtest.findById(key).lean();
      expect(bt?.status).toBe('failed');
      expect(bt?.error?.code).toBe('STRATEGY_LOAD');
      expect(t.logs.find((l) => l.event === 'backtest_failed' && l.backtestId === key)).toMatchObject({
        code: 'STRATEGY_LOAD',
        timerange: '20240101-20240201',
      });
    } finally {
      await t.app.models.Strategy.updateOne({ _id: s?._id }, { $set: { code: good } });
    }
  });

  it('asks before deleting and deletes only on confirmation', async () => {
    await t.send('/new ETH SMA 10/30 cross on 4h with a 5% stop');
    const s = await t.app.models.Strategy.findOne({ 'spec.timeframe': '4h' }).lean();
    const ask = await t.send(`/delete ${s?.name}`);
    expect(ask[0]?.text).toContain('cannot be undone');
    const [confirm, keep] = ask[0]?.buttons ?? [];
    expect(await t.app.models.Strategy.countDocuments({ _id: s?._id })).toBe(1);
    await t.click(String(keep?.action));
    expect(await t.app.models.Strategy.countDocuments({ _id: s?._id })).toBe(1);
    expect((await t.click(String(confirm?.action)))[0]?.text).toBe(`Deleted ${s?.name}.`);
    expect(await t.app.models.Strategy.countDocuments({ _id: s?._id })).toBe(0);
    // Another user's click on the same payload finds nothing to delete.
    expect((await t.click(String(confirm?.action), 'mallory'))[0]?.text).toContain('no longer exists');
  });

  it('takes a typed yes or no to the delete question as its buttons, and only right after it', async () => {
    const created = await t.send('/new SOL SMA 10/30 cross on 4h with a 5% stop');
    const name = /^Created ([a-z0-9-]+)\./.exec(created[0]?.text ?? '')?.[1];
    const s = await t.app.models.Strategy.findOne({ name }).lean();
    expect(s).toBeTruthy();
    const count = () => t.app.models.Strategy.countDocuments({ _id: s?._id });
    await t.send(`/delete ${s?.name}`);
    expect((await t.send('no'))[0]?.text).toBe('Cancelled; nothing was changed.');
    expect(await count()).toBe(1);
    // Not right after the question: "yes" deletes nothing.
    await t.send(`/delete ${s?.name}`);
    await t.send('/strategies');
    await t.send('yes');
    expect(await count()).toBe(1);
    // Another person in the chat answers nothing of someone else's question.
    await t.send(`/delete ${s?.name}`);
    await t.send('yes', 'mallory');
    expect(await count()).toBe(1);
    await t.send(`/delete ${s?.name}`);
    expect((await t.send('yes please delete it'))[0]?.text).toBe(`Deleted ${s?.name}.`);
    expect(await count()).toBe(0);
  });
});
