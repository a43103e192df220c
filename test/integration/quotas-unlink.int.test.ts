// Quotas across /unlink and a new /link, on the real app with the link page: usage is counted against
// the chat identity as well as the account, and /unlink carries the account's usage over to the
// identity, so neither unlinking (a fresh guest) nor linking again starts a count afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAddress } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { linkThrough } from '../support/link-through.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
const DAY = 86_400_000;
let t: TestApp;
let clerk: TestClerk;
let offset = 0;
const now = () => new Date(Date.now() + offset);

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp(
    {
      GENTRADE_ROLE: 'bot',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL,
      ...clerk.env(PUBLIC_URL),
      QUOTA_GUEST_STRATEGIES_PER_HOUR: '2',
      QUOTA_GUEST_BACKTESTS_PER_DAY: '1',
      QUOTA_LINKED_STRATEGIES_PER_HOUR: '3',
      QUOTA_LINKED_BACKTESTS_PER_DAY: '3',
    },
    { test: { now } },
  );
});
afterAll(() => t?.stop());

/** Moves the clock to the start of the next UTC day (a new hour too), so no window ends mid-test. */
function nextDay() {
  const at = now().getTime();
  offset += Math.floor(at / DAY) * DAY + DAY + 1000 - at;
}
const chat = (user: string): ChatAddress => ({
  platform: 'test',
  conversationId: `dm-${user}`,
  userId: user,
});
const said = async (text: string, user: string) => (await t.send(text, user)).map((m) => m.text).join('\n');
const IDEAS = [
  '/new BTC SMA 20/50 cross on 1h with a 5% stop',
  '/new ETH RSI 14 below 30 buy, above 70 sell on 4h',
  '/new SOL EMA 9/21 cross on 1h',
  '/new BTC RSI 14 below 25 buy, above 75 sell on 1h',
];

describe('quotas across /unlink', () => {
  it('unlinking and linking again start no count afresh', async () => {
    nextDay();
    expect((await linkThrough(t, clerk, chat('una'), 'user_una')).ok).toBe(true);
    for (const idea of IDEAS.slice(0, 3)) expect(await said(idea, 'una')).toContain('Created');
    expect(await said(IDEAS[3] ?? '', 'una')).toMatch(
      /^You have reached your limit of 3 new strategies an hour\./,
    );
    expect(await said('/unlink', 'una')).not.toContain('limit');
    // A fresh guest, but the same trader: three made this hour is past the guest's two.
    expect(await said(IDEAS[3] ?? '', 'una')).toMatch(
      /^You have reached your limit of 2 new strategies an hour\. It resets at 01:00 UTC\. Link an account/,
    );
    expect((await linkThrough(t, clerk, chat('una'), 'user_una')).ok).toBe(true);
    expect(await said(IDEAS[3] ?? '', 'una')).toMatch(
      /^You have reached your limit of 3 new strategies an hour\./,
    );
    const account = await t.app.models.User.findOne({ clerkUserId: 'user_una' }).lean();
    expect(await t.app.models.Strategy.countDocuments({ ownerId: account?._id })).toBe(3);
  });

  it("/unlink carries the account's usage, from every linked chat, over to the identity", async () => {
    nextDay();
    expect((await linkThrough(t, clerk, chat('ben-a'), 'user_ben')).ok).toBe(true);
    expect((await linkThrough(t, clerk, chat('ben-b'), 'user_ben')).ok).toBe(true);
    // All of the account's use today is ben-a's: one strategy and three backtests.
    expect(await said(IDEAS[0] ?? '', 'ben-a')).toContain('Created');
    const account = await t.app.models.User.findOne({ clerkUserId: 'user_ben' }).lean();
    const name = (await t.app.models.Strategy.findOne({ ownerId: account?._id }).lean())?.name ?? '';
    for (const range of ['20250101-20250201', '20250201-20250301', '20250301-20250401']) {
      expect(await said(`/backtest ${name} ${range}`, 'ben-a')).toMatch(/: queued\./);
    }
    expect(await said('/unlink', 'ben-b')).not.toContain('limit');
    // ben-b, now a guest: one strategy of the account's this hour counts, so one more of two is left.
    expect(await said(IDEAS[1] ?? '', 'ben-b')).toContain('Created');
    expect(await said(IDEAS[2] ?? '', 'ben-b')).toMatch(
      /^You have reached your limit of 2 new strategies an hour\./,
    );
    // The account's three backtests today are past the guest's one a day.
    const guestStrategy = (await said('/strategies', 'ben-b')).match(/\beth[\w-]*/)?.[0] ?? '';
    expect(guestStrategy).not.toBe('');
    const refused = await said(`/backtest ${guestStrategy} 20250101-20250201`, 'ben-b');
    const tomorrow = new Date(Math.floor(now().getTime() / DAY) * DAY + DAY).toISOString().slice(0, 10);
    expect(refused).toBe(
      `You have reached your limit of 1 backtests a day. It resets at 00:00 UTC on ${tomorrow}. Link an account with /link for more.`,
    );
    const guest = await t.app.models.PlatformIdentity.findOne({
      platform: 'test',
      platformUserId: 'ben-b',
    }).lean();
    expect(await t.app.models.Backtest.countDocuments({ ownerId: guest?.userId })).toBe(0);
  });
});
