// The link page's HTTP side on the real app: the page and its CSP, what a code links, and the confirm
// that verifies a real RS256 session token. Each outcome is one sentence on the page; a link is also
// told to the chat.

import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/actions.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { corruptStrategyOf } from '../support/corrupt-strategy.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
const LINK_CODE_SECRET = 'a link code key of the operator’s own choosing';
let t: TestApp;
let clerk: TestClerk;
let base: string;

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp({
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    PUBLIC_URL,
    ...clerk.env(PUBLIC_URL),
    LINK_CODE_SECRET,
  });
  base = `http://127.0.0.1:${t.app.httpPort}`;
});
afterAll(() => t?.stop());

async function newCode(user: string): Promise<string> {
  const text = (await t.send('/link', user))[0]?.text ?? '';
  const m = /Your link code: ([A-Z2-9-]{9})/.exec(text);
  if (!m?.[1]) throw new Error(`no code in ${text}`);
  return m[1];
}

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; sentence?: string; displayName?: string },
  };
}

/** Links the user's chat identity to the Clerk user through the API. */
async function linkTo(user: string, clerkUserId: string) {
  const res = await post(
    '/link/api/confirm',
    { code: await newCode(user) },
    clerk.token({ sub: clerkUserId }),
  );
  expect(res.body.ok).toBe(true);
}

/** What the chat was told since `from` (the test platform's sink). */
const toldSince = (from: number) => t.posted.slice(from).map((m) => m.text);

describe('link page', () => {
  it('serves the page with Clerk’s script, our script and a CSP that allows only those', async () => {
    const res = await fetch(`${base}/link?code=ABCD-EFGH`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-clerk-publishable-key="pk_test_');
    expect(html).toContain('src="https://clerk.gentrade.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js"');
    expect(html).toContain('src="link/page.js"');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' https://clerk.gentrade.test");
    expect(csp).toContain("frame-ancestors 'none'");
    expect((await fetch(`${base}/link/page.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('shows which identity a code links before anything is confirmed', async () => {
    const code = await newCode('ann');
    const seen = await post('/link/api/inspect', { code });
    expect(seen.body).toMatchObject({ ok: true, displayName: 'ann' });
    expect((await post('/link/api/inspect', { code: 'ZZZZ-ZZZZ' })).body.sentence).toContain('not valid');
    expect((await post('/link/api/inspect', { nope: 1 })).status).toBe(400);
  });

  it('answers every error with one shape, { ok: false, sentence }, the right status and nothing internal', async () => {
    const send = async (path: string, body: string, type: string, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
      const text = await res.text();
      // No stack, error code or class name of ours or fastify's reaches the page.
      expect(text).not.toMatch(/ at |Error|FST_|stack|ObjectId|\.ts\b/);
      return { status: res.status, body: JSON.parse(text) as unknown };
    };
    const shape = { ok: false, sentence: expect.stringMatching(/^[A-Z].+\.$/) };
    const code = JSON.stringify({ code: await newCode('ivy') });
    for (const [path, body, type, status] of [
      ['/link/api/inspect', code, 'text/plain', 415],
      ['/link/api/confirm', 'code=ABCD-EFGH', 'application/x-www-form-urlencoded', 415],
      ['/link/api/inspect', '{"code": "ABCD', 'application/json', 400],
      ['/link/api/inspect', '', 'application/json', 400],
      ['/link/api/inspect', '[1, 2]', 'application/json', 400],
      ['/link/api/confirm', JSON.stringify({ code: 'A'.repeat(4000) }), 'application/json', 413],
      ['/link/api/nothing', code, 'application/json', 404],
    ] as const) {
      const answer = await send(path, body, type);
      expect({ path, type, ...answer }).toEqual({ path, type, status, body: shape });
    }

    // Something unexpected: Jon owns a stored strategy the merge can't move (its _id is no ObjectId).
    await linkTo('ivy', 'user_ij');
    const corrupt = await corruptStrategyOf(t, 'jon');
    const jon = JSON.stringify({ code: await newCode('jon') });
    const failed = await send('/link/api/confirm', jon, 'application/json', clerk.token({ sub: 'user_ij' }));
    expect(failed).toEqual({ status: 500, body: shape });
    expect(t.logs.some((l) => l.msg === 'link API failed' && l.level === 50)).toBe(true);

    // The code was given back: once the cause is gone, the same code links.
    await corrupt.remove();
    const retried = await send('/link/api/confirm', jon, 'application/json', clerk.token({ sub: 'user_ij' }));
    expect(retried).toMatchObject({ status: 200, body: { ok: true } });
    expect((await t.send('/whoami', 'jon'))[0]?.text).toContain('Linked to');
  });

  it('stores codes under LINK_CODE_SECRET when it is set, and makes no key of its own', async () => {
    const code = (await newCode('kai')).replace('-', '');
    const stored = await t.app.models.LinkCode.findOne({ platformUserId: 'kai' }).lean();
    expect(stored?.codeHash).toBe(createHmac('sha256', LINK_CODE_SECRET).update(code).digest('hex'));
    expect(existsSync(path.join(t.store.dataDir, 'secrets'))).toBe(false);
  });

  it('refuses a confirm without a valid session and leaves the code usable', async () => {
    const code = await newCode('bob');
    expect((await post('/link/api/confirm', { code })).status).toBe(401);
    const forged = clerk.token({ sub: 'user_bob' }, { key: clerk.strangerKey });
    const refused = await post('/link/api/confirm', { code }, forged);
    expect(refused.status).toBe(401);
    expect(refused.body.sentence).toContain('could not be verified');
    expect((await post('/link/api/inspect', { code })).body.ok).toBe(true);
  });

  it('links, then says "used", "already linked" and "another account" on the page; the chat hears only the link', async () => {
    const from = t.posted.length;
    const code = await newCode('cid');
    const linked = await post('/link/api/confirm', { code }, clerk.token({ sub: 'user_cid' }));
    expect(linked.body.ok).toBe(true);
    expect(linked.body.sentence).toMatch(/^Linked the test cid \(id cid\) identity to your account/);
    const used = await post('/link/api/confirm', { code }, clerk.token({ sub: 'user_cid' }));
    expect(used.body.sentence).toContain('already used');
    const again = await post(
      '/link/api/confirm',
      { code: await newCode('cid') },
      clerk.token({ sub: 'user_cid' }),
    );
    expect(again.body.sentence).toContain('already linked to this account');
    const other = await post(
      '/link/api/confirm',
      { code: await newCode('cid') },
      clerk.token({ sub: 'user_zed' }),
    );
    expect(other.body.sentence).toContain('already linked to another account');
    expect(toldSince(from)).toEqual([
      'This chat is now linked to the account with Clerk id user_cid: your strategies and backtests are the same in every chat linked to it. Not your account? Send /unlink here: this chat starts afresh, and what joined stays with that account.',
    ]);
    expect((await t.send('/whoami', 'cid'))[0]?.text).toContain('Linked to');
  });

  it('says "expired" on the page, and nothing in the chat, for a code past its ten minutes', async () => {
    const code = await newCode('dee');
    await t.app.models.LinkCode.updateMany(
      { platformUserId: 'dee' },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    const from = t.posted.length;
    const res = await post('/link/api/confirm', { code }, clerk.token({ sub: 'user_dee' }));
    expect(res.body).toMatchObject({ ok: false });
    expect(res.body.sentence).toContain('expired');
    expect(toldSince(from)).toEqual([]);
  });

  it('merges a linked identity’s strategies into the account, renaming a clash and saying so', async () => {
    const describe = '/new BTC SMA 20/50 cross on 1h with a 5% stop';
    await t.send(describe, 'hal');
    await t.send(describe, 'gus');
    const [halOwner, gusOwner] = await Promise.all(
      ['hal', 'gus'].map(
        async (u) => (await t.app.models.PlatformIdentity.findOne({ platformUserId: u }).lean())?.userId,
      ),
    );
    const gusStrategy = await t.app.models.Strategy.findOne({ ownerId: gusOwner }).lean();
    const name = gusStrategy?.name ?? '';
    expect(name).not.toBe('');
    // A backtest of Gus's strategy must follow it into the account.
    await t.app.models.Backtest.create({
      ownerId: gusOwner,
      strategyId: gusStrategy?._id,
      strategyName: name,
      strategyVersion: 1,
      timerange: '20250101-20250201',
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      status: 'failed',
      queuedAt: new Date(),
      replyTo: { platform: 'test', conversationId: 'dm-gus', userId: 'gus' },
      correlationId: 'c',
    });
    expect(
      (await post('/link/api/confirm', { code: await newCode('hal') }, clerk.token({ sub: 'user_hg' }))).body
        .ok,
    ).toBe(true);
    const merged = await post(
      '/link/api/confirm',
      { code: await newCode('gus') },
      clerk.token({ sub: 'user_hg' }),
    );
    expect(merged.body.sentence).toContain(
      `Its strategy joined your account; renamed because the name was taken: ${name} → ${name}-2.`,
    );
    const listed = (await t.send('/strategies', 'gus')).map((m) => m.text).join('\n');
    expect(listed).toContain(name);
    expect(listed).toContain(`${name}-2`);
    expect(await t.app.models.Backtest.countDocuments({ ownerId: halOwner, strategyName: name })).toBe(1);
    expect(await t.app.models.User.countDocuments({ _id: gusOwner })).toBe(0);
  });

  it('keeps a linked account out of reach of other chats: a guest, and the chat once unlinked', async () => {
    await t.send('/new ETH RSI 14 below 30 buy, above 70 sell on 4h', 'kim');
    expect(
      (await post('/link/api/confirm', { code: await newCode('kim') }, clerk.token({ sub: 'user_kim' }))).body
        .ok,
    ).toBe(true);
    const account = await t.app.models.User.findOne({ clerkUserId: 'user_kim' }).lean();
    const owned = await t.app.models.Strategy.findOne({ ownerId: account?._id }).lean();
    const show = encodeAction({ name: 'show', strategyId: owned?._id.toString() ?? '' });
    const backtest = encodeAction({
      name: 'backtest',
      strategyId: owned?._id.toString() ?? '',
      timerange: '20250101-20250201',
    });
    expect((await t.click(show, 'kim'))[0]?.text).not.toContain('no longer exists');
    for (const payload of [show, backtest]) {
      expect((await t.click(payload, 'mal'))[0]?.text).toContain('no longer exists');
    }
    expect((await t.send(`/show ${owned?.name}`, 'mal'))[0]?.text).toContain('You have no strategy called');
    expect((await t.send('/unlink', 'kim'))[0]?.text).toContain('Unlinked');
    for (const payload of [show, backtest]) {
      expect((await t.click(payload, 'kim'))[0]?.text).toContain('no longer exists');
    }
    expect(await t.app.models.Strategy.countDocuments({ ownerId: account?._id })).toBe(1);
  });
});
