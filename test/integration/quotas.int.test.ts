// Quotas on the real core and storage, with a clock the test moves: for each limit the last allowed,
// the first refused (naming the limit and when it resets, with nothing stored or queued), and the
// reset. Backtests stay queued here (the bot role runs no jobs), so "at once" is under the test's control.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../../src/services/accounts.ts';
import { ACCOUNT_COMMANDS_PER_MINUTE } from '../../src/services/quotas.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk } from '../support/clerk.ts';

let t: TestApp;
let offset = 0;
const now = () => new Date(Date.now() + offset);
/** Moves the clock to just past the next boundary of a window `ms` long. */
function nextWindow(ms: number) {
  const at = now().getTime();
  offset += Math.floor(at / ms) * ms + ms + 1000 - at;
}
const MINUTE = 60_000;
/** How a refusal names the start of the next window `ms` long: its date only when that is another day. */
function resetsAt(ms: number): string {
  const at = now();
  const resets = new Date(Math.floor(at.getTime() / ms) * ms + ms);
  const day = resets.toISOString().slice(0, 10);
  const on = day === at.toISOString().slice(0, 10) ? '' : ` on ${day}`;
  return `${resets.toISOString().slice(11, 16)} UTC${on}`;
}

beforeAll(async () => {
  t = await startTestApp(
    {
      GENTRADE_ROLE: 'bot',
      QUOTA_GUEST_MESSAGES_PER_MINUTE: '6',
      QUOTA_GUEST_STRATEGIES_PER_HOUR: '2',
      QUOTA_GUEST_BACKTESTS_PER_DAY: '3',
      QUOTA_GUEST_BACKTESTS_AT_ONCE: '2',
      QUOTA_LINKED_MESSAGES_PER_MINUTE: '8',
      QUOTA_LINKED_BACKTESTS_AT_ONCE: '4',
    },
    { test: { now } },
  );
});
afterAll(() => t?.stop());

const said = async (text: string, user: string) => (await t.send(text, user)).map((m) => m.text).join('\n');
const ownerOf = async (user: string) =>
  (await t.app.models.PlatformIdentity.findOne({ platformUserId: user }).lean())?.userId;

describe('quotas', () => {
  it('messages a minute: the 6th is answered, the 7th refused until the next minute', async () => {
    nextWindow(MINUTE);
    for (let i = 0; i < 6; i++) expect(await said('/strategies', 'mia')).toContain('no strategies');
    const refused = await said('/strategies', 'mia');
    const expected = `You have reached your limit of 6 messages a minute. It resets at ${resetsAt(MINUTE)}.`;
    expect(refused.slice(0, expected.length)).toBe(expected);
    expect(refused).toContain('/link');
    nextWindow(MINUTE);
    expect(await said('/strategies', 'mia')).toContain('no strategies');
  });

  it('keeps /help, /start, /whoami, /link and /unlink open past the limit, and counts none of them', async () => {
    nextWindow(MINUTE);
    for (let i = 0; i < 6; i++) await said('/strategies', 'max');
    expect(await said('/strategies', 'max')).toContain('limit of 6 messages a minute');
    expect(await said('/help', 'max')).toContain('/new');
    expect(await said('/start', 'max')).toContain('/new');
    expect(await said('/whoami', 'max')).toContain('You are max');
    // No Clerk here: the answers say so, rather than the limit.
    expect(await said('/link', 'max')).toBe('Account linking is not set up on this bot.');
    expect(await said('/unlink', 'max')).toBe('Account linking is not set up on this bot.');
    nextWindow(MINUTE);
    for (let i = 0; i < 10; i++) await said(['/help', '/whoami', '/link'][i % 3] ?? '/help', 'max');
    for (let i = 0; i < 6; i++) expect(await said('/strategies', 'max')).toContain('no strategies');
  });

  it('gives help and account commands a limit of their own, apart from messages', async () => {
    nextWindow(MINUTE);
    for (let i = 0; i < ACCOUNT_COMMANDS_PER_MINUTE; i++) {
      expect(await said(i % 2 ? '/whoami' : '/help', 'flo')).not.toContain('limit');
    }
    expect(await said('/help', 'flo')).toMatch(
      new RegExp(
        `^You have reached your limit of ${ACCOUNT_COMMANDS_PER_MINUTE} help and account commands a minute\\. It resets at \\d\\d:\\d\\d UTC\\.`,
      ),
    );
    // Messages are counted apart: the flood of /help used none of them.
    expect(await said('/strategies', 'flo')).toContain('no strategies');
    nextWindow(MINUTE);
    expect(await said('/whoami', 'flo')).toContain('You are flo');
  });

  it('linked traders get the linked limits', async () => {
    nextWindow(MINUTE);
    await said('/strategies', 'lin');
    await createAccountService({ models: t.app.models, logger: pino({ level: 'silent' }) }).link(
      { platform: 'test', platformUserId: 'lin', displayName: 'lin' },
      'user_lin',
    );
    for (let i = 0; i < 7; i++) expect(await said('/strategies', 'lin')).toContain('no strategies');
    expect(await said('/strategies', 'lin')).toContain('limit of 8 messages a minute');
  });

  it('five chats of one account writing at the same moment share its limit: exactly 8 are answered', async () => {
    nextWindow(MINUTE);
    const accounts = createAccountService({ models: t.app.models, logger: pino({ level: 'silent' }) });
    const chats = ['duo1', 'duo2', 'duo3', 'duo4', 'duo5'];
    for (const user of chats) {
      await accounts.link({ platform: 'test', platformUserId: user, displayName: user }, 'user_duo');
    }
    nextWindow(MINUTE);
    // Each chat's own turns run one at a time; the chats run side by side.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => said('/strategies', chats[i % chats.length] ?? 'duo1')),
    );
    expect(answers.filter((a) => a.includes('no strategies'))).toHaveLength(8);
    expect(answers.filter((a) => a.includes('limit of 8 messages a minute'))).toHaveLength(12);
  });

  it('strategies an hour: a failed creation costs nothing; the 2nd is made, the 3rd refused until the next hour', async () => {
    nextWindow(60 * MINUTE);
    await said('/help', 'sol');
    const owner = await ownerOf('sol');
    if (!owner) throw new Error('no user for sol');
    const count = () => t.app.models.Strategy.countDocuments({ ownerId: owner });
    // Refused inside the service, after the quota was taken: it is given back.
    await expect(
      t.app.strategies.create(owner, { name: 'broken', spec: { nonsense: true }, description: 'x' }),
    ).rejects.toMatchObject({ code: 'SPEC_INVALID' });
    expect(await count()).toBe(0);
    expect(await said('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'sol')).toContain('Created');
    expect(await said('/new ETH RSI 14 below 30 buy, above 70 sell on 4h', 'sol')).toContain('Created');
    const refused = await said('/new SOL EMA 9/21 cross on 1h', 'sol');
    const expected = `You have reached your limit of 2 new strategies an hour. It resets at ${resetsAt(60 * MINUTE)}.`;
    expect(refused.slice(0, expected.length)).toBe(expected);
    expect(await count()).toBe(2);
    nextWindow(60 * MINUTE);
    expect(await said('/new SOL EMA 9/21 cross on 1h', 'sol')).toContain('Created');
    expect(await count()).toBe(3);
  });

  it('backtests at once and a day: joining a waiting run is free; nothing half-queued; resets', async () => {
    nextWindow(24 * 60 * MINUTE);
    await said('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'bea');
    const owner = await ownerOf('bea');
    const [strategy] = await t.app.models.Strategy.find({ ownerId: owner }).lean();
    const name = strategy?.name ?? '';
    const runs = () => t.app.models.Backtest.countDocuments({ ownerId: owner });
    const bt = (range: string) => said(`/backtest ${name} ${range}`, 'bea');
    expect(await bt('20250101-20250201')).not.toContain('limit');
    expect(await bt('20250201-20250301')).not.toContain('limit');
    // Pressing the same range again joins the run already waiting: no quota is spent.
    expect(await bt('20250201-20250301')).not.toContain('limit');
    nextWindow(MINUTE);
    const atOnce = await bt('20250301-20250401');
    expect(atOnce).toMatch(
      /^You have reached your limit of 2 backtests queued or running at once\. You can queue another as soon as one of them finishes\./,
    );
    expect(await runs()).toBe(2);
    // One finishes: the third of the day is allowed.
    await t.app.models.Backtest.updateOne(
      { ownerId: owner, timerange: '20250101-20250201' },
      { $set: { status: 'succeeded' } },
    );
    expect(await bt('20250301-20250401')).not.toContain('limit');
    await t.app.models.Backtest.updateOne(
      { ownerId: owner, timerange: '20250201-20250301' },
      { $set: { status: 'succeeded' } },
    );
    const perDay = await bt('20250401-20250501');
    const tomorrow = new Date(Math.floor(now().getTime() / 86_400_000) * 86_400_000 + 86_400_000);
    expect(perDay).toContain(
      `You have reached your limit of 3 backtests a day. It resets at 00:00 UTC on ${tomorrow.toISOString().slice(0, 10)}.`,
    );
    expect(await runs()).toBe(3);
    nextWindow(24 * 60 * MINUTE);
    expect(await bt('20250401-20250501')).not.toContain('limit');
    expect(await runs()).toBe(4);
  });
});

describe('backtests at once across a link', () => {
  it('counts the runs a linking chat brings along against the account', async () => {
    nextWindow(24 * 60 * MINUTE);
    const accounts = createAccountService({ models: t.app.models, logger: pino({ level: 'silent' }) });
    const idea = '/new BTC SMA 20/50 cross on 1h with a 5% stop';
    const link = (user: string) =>
      accounts.link({ platform: 'test', platformUserId: user, displayName: user }, 'user_ace');
    const bt = (user: string, range: string) => said(`/backtest btc-sma-20-50-1h ${range}`, user);
    await said(idea, 'ace1');
    await link('ace1');
    for (const r of ['20250101-20250201', '20250201-20250301', '20250301-20250401']) {
      expect(await bt('ace1', r)).toMatch(/: queued\./);
    }
    // A guest chat queues two of its own, then joins the account: five runs, over the linked limit of 4.
    await said(idea, 'ace2');
    for (const r of ['20240101-20240201', '20240201-20240301'])
      expect(await bt('ace2', r)).toMatch(/: queued\./);
    await link('ace2');
    expect(await bt('ace1', '20250401-20250501')).toMatch(
      /^You have reached your limit of 4 backtests queued or running at once\./,
    );
    const owner = await ownerOf('ace1');
    expect(await t.app.models.Backtest.countDocuments({ ownerId: owner, status: 'queued' })).toBe(5);
  });
});

describe('REQUIRE_LINK', () => {
  let strict: TestApp;
  beforeAll(async () => {
    const clerk = createTestClerk();
    const url = 'https://bot.gentrade.test';
    strict = await startTestApp({
      REQUIRE_LINK: 'true',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL: url,
      ...clerk.env(url),
    });
  });
  afterAll(() => strict?.stop());

  it('turns guest use off but still lets a guest link', async () => {
    const refused = (await strict.send('/strategies', 'gil'))[0]?.text ?? '';
    expect(refused).toBe('This bot is for traders with an account. Send /link to link this chat to yours.');
    expect((await strict.send('describe a strategy please', 'gil'))[0]?.text).toBe(refused);
    expect((await strict.send('/link', 'gil'))[0]?.text).toContain('Your link code:');
    await createAccountService({ models: strict.app.models, logger: pino({ level: 'silent' }) }).link(
      { platform: 'test', platformUserId: 'gil', displayName: 'gil' },
      'user_gil',
    );
    expect((await strict.send('/strategies', 'gil'))[0]?.text).toContain('You have no strategies yet.');
  });
});

describe('the operator at the console', () => {
  it("has the linked tier's limits without an account to link", async () => {
    nextWindow(MINUTE);
    expect(await said('/strategies', 'cara')).toContain('no strategies');
    const userId = await ownerOf('cara');
    // The console adapter's identity on the same account (the person at the machine's terminal).
    await t.app.models.PlatformIdentity.create({ platform: 'console', platformUserId: 'local', userId });
    for (let i = 0; i < 7; i++) expect(await said('/strategies', 'cara')).toContain('no strategies');
    const refused = await said('/strategies', 'cara');
    expect(refused).toContain('limit of 8 messages a minute');
    expect(refused).not.toContain('/link');
  });
});

describe('backtests at once, asked for at the same moment', () => {
  it('queues exactly the limit, refuses the rest with the sentence, leaves nothing half-queued, frees a slot when one ends', async () => {
    nextWindow(24 * 60 * MINUTE);
    await said('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'cal');
    const owner = await ownerOf('cal');
    const name = (await t.app.models.Strategy.findOne({ ownerId: owner }).lean())?.name ?? '';
    const ranges = ['20250101-20250201', '20250201-20250301', '20250301-20250401', '20250401-20250501'];
    // Four presses at once from the same trader; the guest limit is 2 at once and 3 a day.
    const answers = await Promise.all(ranges.map((r) => said(`/backtest ${name} ${r}`, 'cal')));
    const atOnce =
      'You have reached your limit of 2 backtests queued or running at once. You can queue another as soon as one of them finishes.';
    expect(answers.filter((a) => a.startsWith(atOnce))).toHaveLength(2);
    expect(answers.filter((a) => /^Backtest of .*: queued\./.test(a))).toHaveLength(2);
    const queued = await t.app.models.Backtest.find({ ownerId: owner }).lean();
    expect(queued).toHaveLength(2);
    const slots = await t.app.models.BacktestSlot.find({ userKey: String(owner) }).lean();
    expect(slots.map((s) => s.backtestId).sort()).toEqual(queued.map((b) => b._id.toString()).sort());
    // The day's count holds the two queued, for the account and for the chat identity alike.
    const day = Math.floor(now().getTime() / (24 * 60 * MINUTE)) * 24 * 60 * MINUTE;
    const counted = async (subject: string) =>
      (await t.app.models.RateCounter.findOne({ key: `quota:backtests:${subject}@${day}` }).lean())?.count;
    expect(await counted(String(owner))).toBe(2);
    expect(await counted('test:cal')).toBe(2);

    // One fails: its slot is given back and the next is queued (the third of the day).
    const [first] = queued;
    await t.app.backtests.markFailed(String(first?._id), { code: 'X', message: 'stopped' });
    expect(await said(`/backtest ${name} 20250501-20250601`, 'cal')).toMatch(/: queued\./);
    expect(await t.app.models.BacktestSlot.countDocuments({ userKey: String(owner) })).toBe(2);
  });
});
