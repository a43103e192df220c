// /link, /unlink and /whoami through the real core and storage: the code is private, stored only as
// its HMAC under a key outside the database, single use, bound to the identity that asked, good for
// ten minutes, and guessing is cut off.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../../src/services/accounts.ts';
import { createLinkCodes, FAILED_ATTEMPTS } from '../../src/services/link-codes.ts';
import { createRateLimiter } from '../../src/services/rate-limit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk } from '../support/clerk.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;

beforeAll(async () => {
  const clerk = createTestClerk();
  t = await startTestApp({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', PUBLIC_URL, ...clerk.env(PUBLIC_URL) });
});
afterAll(() => t?.stop());

/** The code in a /link answer. */
function codeOf(text: string): string {
  const m = /Your link code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text);
  if (!m?.[1]) throw new Error(`no code in: ${text}`);
  return m[1];
}

const ip = (n: number) => ({ ip: `10.0.0.${n}` });

describe('link codes', () => {
  it('answers /link privately with a code and the page address, and stores only its keyed HMAC', async () => {
    const [reply] = await t.send('/link', 'ann');
    expect(reply?.private).toBe(true);
    const code = codeOf(reply?.text ?? '');
    // The address alone on its line: chat clients make it clickable only then.
    expect(reply?.text.split('\n')).toContain(`${PUBLIC_URL}/link?code=${code}`);
    expect(reply?.text).toContain('10 minutes');
    const stored = await t.app.models.LinkCode.find({}).lean();
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(code);
    expect(raw).not.toContain(code.replace('-', ''));
    // Without LINK_CODE_SECRET the app made its key, for its user's eyes only, outside the database.
    const keyFile = path.join(t.store.dataDir, 'secrets', 'link-code.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const bare = code.replace('-', '');
    const mine = stored.find((d) => d.platformUserId === 'ann');
    expect(mine?.codeHash).toBe(createHmac('sha256', secret()).update(bare).digest('hex'));
    expect(raw).not.toContain(createHash('sha256').update(bare).digest('hex'));
  });

  it('binds the code to the identity that asked, and a new /link retires the old code', async () => {
    const codes = createLinkCodes({
      models: t.app.models,
      accounts: createAccountService({ models: t.app.models, logger: silent() }),
      limiter: createRateLimiter({ models: t.app.models }),
      secret: secret(),
    });
    const first = codeOf((await t.send('/link', 'bob'))[0]?.text ?? '');
    const seen = await codes.inspect(first, ip(1));
    expect(seen.ok && seen.identity).toEqual({ platform: 'test', platformUserId: 'bob', displayName: 'bob' });
    const second = codeOf((await t.send('/link', 'bob'))[0]?.text ?? '');
    expect((await codes.inspect(first, ip(1))).ok).toBe(false);
    expect((await codes.inspect(second.toLowerCase(), ip(1))).ok).toBe(true);
  });

  it('links once: the same code a second time is "used"', async () => {
    const codes = codesAt(() => new Date());
    const code = codeOf((await t.send('/link', 'cid'))[0]?.text ?? '');
    const done = await codes.redeem(code, { ...ip(2), clerkUserId: 'user_cid' });
    expect(done.ok).toBe(true);
    const again = await codes.redeem(code, { ...ip(2), clerkUserId: 'user_other' });
    expect(again).toMatchObject({ ok: false, reason: 'used' });
  });

  it('links once when many confirm the same code at the same moment, each signed in as someone else', async () => {
    const codes = codesAt(() => new Date());
    const code = codeOf((await t.send('/link', 'kit'))[0]?.text ?? '');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        codes.redeem(code, { ip: `10.0.9.${i}`, clerkUserId: `user_kit${i}` }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    // One account holds the identity, and no two Clerk users share it.
    const kit = await t.app.models.PlatformIdentity.findOne({ platformUserId: 'kit' }).lean();
    const clerks = await t.app.models.PlatformIdentity.find({
      platform: 'clerk',
      userId: kit?.userId,
    }).lean();
    expect(clerks).toHaveLength(1);
  });

  it('expires after ten minutes: the last second works, the next is "expired"', async () => {
    let now = new Date();
    const codes = codesAt(() => now);
    const issued = await codes.issue(
      { platform: 'test', platformUserId: 'dee', displayName: 'dee' },
      address('dee'),
    );
    now = new Date(issued.expiresAt.getTime() - 1000);
    expect((await codes.inspect(issued.code, ip(3))).ok).toBe(true);
    now = new Date(issued.expiresAt.getTime());
    expect(await codes.redeem(issued.code, { ...ip(3), clerkUserId: 'user_dee' })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('stops a client after too many wrong codes, even with a right one', async () => {
    const codes = codesAt(() => new Date());
    const good = codeOf((await t.send('/link', 'eve'))[0]?.text ?? '');
    for (let i = 0; i < FAILED_ATTEMPTS.limit; i++) {
      expect(await codes.inspect('AAAA-AAAA', ip(4))).toMatchObject({ ok: false, reason: 'unknown' });
    }
    const blocked = await codes.redeem(good, { ...ip(4), clerkUserId: 'user_eve' });
    expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
    // Another client is not held back by this one's guesses.
    expect((await codes.inspect(good, ip(5))).ok).toBe(true);
  });

  it('holds to the limit when wrong codes arrive all at once', async () => {
    const codes = codesAt(() => new Date());
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => codes.inspect(`AAAA-AA${String(i).padStart(2, '2')}`, ip(7))),
    );
    const reasons = answers.map((a) => (a.ok ? 'ok' : a.reason));
    expect(reasons.filter((r) => r === 'unknown')).toHaveLength(FAILED_ATTEMPTS.limit);
    expect(reasons.filter((r) => r === 'rate_limited')).toHaveLength(40 - FAILED_ATTEMPTS.limit);
  });

  it('counts an IPv6 client per /64, so a fresh address for each try does not get around the limit', async () => {
    const codes = codesAt(() => new Date());
    const from = (n: number) => ({ ip: `2001:db8:77:1::${n.toString(16)}` });
    for (let i = 0; i < FAILED_ATTEMPTS.limit; i++) {
      expect(await codes.inspect('AAAA-AAAA', from(i + 1))).toMatchObject({ reason: 'unknown' });
    }
    expect(await codes.inspect('AAAA-AAAA', from(999))).toMatchObject({ reason: 'rate_limited' });
    expect(await codes.inspect('AAAA-AAAA', { ip: '2001:db8:77:2::1' })).toMatchObject({ reason: 'unknown' });
  });

  it('counts a right code as no failure, so a trader who mistyped a few still links', async () => {
    const codes = codesAt(() => new Date());
    for (let i = 0; i < FAILED_ATTEMPTS.limit - 1; i++) await codes.inspect('AAAA-AAAA', ip(8));
    const good = codeOf((await t.send('/link', 'gil'))[0]?.text ?? '');
    for (let i = 0; i < 3; i++) expect((await codes.inspect(good, ip(8))).ok).toBe(true);
    expect(await codes.redeem(good, { ...ip(8), clerkUserId: 'user_gil' })).toMatchObject({ ok: true });
  });

  it('/whoami and /unlink tell a guest from a linked identity', async () => {
    expect((await t.send('/whoami', 'fay'))[0]?.text).toContain('guest');
    expect((await t.send('/unlink', 'fay'))[0]?.text).toContain('not linked');
    const codes = codesAt(() => new Date());
    const code = codeOf((await t.send('/link', 'fay'))[0]?.text ?? '');
    expect((await codes.redeem(code, { ...ip(6), clerkUserId: 'user_fay' })).ok).toBe(true);
    expect((await t.send('/whoami', 'fay'))[0]?.text).toContain('Linked to');
    expect((await t.send('/unlink', 'fay'))[0]?.text).toContain('Unlinked');
    expect((await t.send('/whoami', 'fay'))[0]?.text).toContain('guest');
  });
});

describe('without Clerk', () => {
  let bare: TestApp;
  beforeAll(async () => {
    bare = await startTestApp();
  });
  afterAll(() => bare?.stop());

  it('/whoami still says who is asking, a guest, and that linking is not set up here', async () => {
    const [reply] = await bare.send('/whoami', 'gia');
    expect(reply?.text).toBe(
      'You are gia on test (id gia). You are a guest: account linking is not set up on this bot.',
    );
    expect((await bare.send('/link', 'gia'))[0]?.text).toBe('Account linking is not set up on this bot.');
  });
});

function codesAt(now: () => Date) {
  return createLinkCodes({
    models: t.app.models,
    accounts: createAccountService({ models: t.app.models, logger: silent() }),
    limiter: createRateLimiter({ models: t.app.models, now }),
    secret: secret(),
    now,
  });
}

/** The key the app keeps link codes under (it made it: no LINK_CODE_SECRET is set here). */
function secret(): string {
  return readFileSync(path.join(t.store.dataDir, 'secrets', 'link-code.key'), 'utf8').trim();
}

function address(userId: string) {
  return { platform: 'test', conversationId: `dm-${userId}`, userId };
}

function silent() {
  return pino({ level: 'silent' });
}
