// The link page in a real headless browser (Debian's chromium via playwright-core). Clerk's browser
// script is replaced by a stand-in served on loopback that hands the page a session token from the
// test signer; everything after that — the page's script, the CSP, the confirm, the token check, the
// link and the chat message — is production code. Skipped, with the reason, where no browser can be had.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { findChromium } from '../support/browser.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { corruptStrategyOf } from '../support/corrupt-strategy.ts';

const browserBinary = findChromium();
if ('reason' in browserBinary) process.stderr.write(`link-browser tests skipped: ${browserBinary.reason}\n`);

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;
let clerk: TestClerk;
let standIn: Server;
let browser: Browser;
let base: string;
/** Who the stand-in says is signed in; null: nobody. */
let signedIn: { id: string; email: string } | null = null;

/** Clerk's browser script as the page uses it: load, user, session.getToken, mountSignIn. */
function standInScript(): string {
  const user = signedIn ? { id: signedIn.id, primaryEmailAddress: { emailAddress: signedIn.email } } : null;
  const token = signedIn ? clerk.token({ sub: signedIn.id }) : null;
  return `window.Clerk = {
  user: ${JSON.stringify(user)},
  session: ${token ? `{ getToken: function () { return Promise.resolve(${JSON.stringify(token)}); } }` : 'null'},
  load: function () { return Promise.resolve(); },
  addListener: function () {},
  mountSignIn: function (el) { el.textContent = 'Sign in (stand-in)'; }
};`;
}

beforeAll(async () => {
  if ('reason' in browserBinary) return;
  clerk = createTestClerk();
  standIn = createServer((_req, res) => {
    // The page loads Clerk's script with crossorigin=anonymous, as Clerk's CDN allows.
    res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
    res.end(standInScript());
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const scriptUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/clerk.browser.js`;
  t = await startTestApp({
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    PUBLIC_URL,
    ...clerk.env(PUBLIC_URL),
    CLERK_JS_URL: scriptUrl,
  });
  base = `http://127.0.0.1:${t.app.httpPort}`;
  browser = await chromium.launch({ executablePath: browserBinary.path, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await new Promise((resolve) => (standIn ? standIn.close(resolve) : resolve(undefined)));
});

async function newCode(user: string): Promise<string> {
  const text = (await t.send('/link', user))[0]?.text ?? '';
  const code = /Your link code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in ${text}`);
  return code;
}

/** Opens the page for `code`; collects what the browser refused (CSP) or failed to run. */
async function open(code: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  await page.goto(`${base}/link?code=${code}`);
  return { page, problems };
}

const result = (page: Page) => page.locator('#result');

describe.skipIf('reason' in browserBinary)('link page in a browser', () => {
  it('renders who is linked, confirms, and shows the linked sentence; the chat hears which account it joined', async () => {
    signedIn = { id: 'user_ann', email: 'ann@example.test' };
    const code = await newCode('ann');
    const { page, problems } = await open(code);
    await expect
      .poll(() => page.locator('#identity').textContent())
      .toBe('This links test identity ann to the account you sign in with.');
    await expect.poll(() => page.locator('#account').textContent()).toBe('Signed in as ann@example.test.');
    const from = t.posted.length;
    await page.locator('#confirm').click();
    await expect
      .poll(() => result(page).textContent())
      .toMatch(/^Linked the test ann \(id ann\) identity to your account\./);
    expect(await result(page).getAttribute('class')).toBe('linked');
    // The chat hears which account it joined; the page named the identity it linked.
    const told = t.posted.slice(from).map((m) => m.text);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^This chat is now linked to the account with Clerk id user_\w+: /);
    expect(problems).toEqual([]);

    // The same code again: the page says it was used before anyone presses anything.
    const again = await open(code);
    await expect.poll(() => result(again.page).textContent()).toContain('already used');
    expect(await again.page.locator('#confirm').isHidden()).toBe(true);
  });

  it('shows "already linked" and "another account" after the press, on the page only', async () => {
    signedIn = { id: 'user_ann', email: 'ann@example.test' };
    const from = t.posted.length;
    const same = await open(await newCode('ann'));
    await same.page.locator('#confirm').click();
    await expect.poll(() => result(same.page).textContent()).toContain('already linked to this account');
    signedIn = { id: 'user_bob', email: 'bob@example.test' };
    const other = await open(await newCode('ann'));
    await other.page.locator('#confirm').click();
    await expect.poll(() => result(other.page).textContent()).toContain('already linked to another account');
    expect(await result(other.page).getAttribute('class')).toBe('failed');
    expect(await other.page.locator('#confirm').isHidden()).toBe(true);
    expect(t.posted.slice(from)).toEqual([]);
  });

  it('lets a confirm that failed on our side be pressed again, and the second press links', async () => {
    signedIn = { id: 'user_rt', email: 'rt@example.test' };
    const rik = await open(await newCode('rik'));
    await rik.page.locator('#confirm').click();
    await expect
      .poll(() => result(rik.page).textContent())
      .toMatch(/^Linked the test rik \(id rik\) identity/);
    // Sue's strategies can't be merged into the account yet: the link fails after the code was taken.
    const corrupt = await corruptStrategyOf(t, 'sue');
    const from = t.posted.length;
    const { page } = await open(await newCode('sue'));
    const confirm = page.locator('#confirm');
    await confirm.click();
    await expect
      .poll(() => result(page).textContent())
      .toBe('Something went wrong on our side. Please try again in a moment.');
    expect(await result(page).getAttribute('class')).toBe('failed');
    expect(await confirm.isVisible()).toBe(true);
    expect(await confirm.isEnabled()).toBe(true);
    expect(t.posted.slice(from)).toEqual([]);

    await corrupt.remove();
    await confirm.click();
    await expect
      .poll(() => result(page).textContent())
      .toMatch(/^Linked the test sue \(id sue\) identity to your account\./);
    expect(await result(page).getAttribute('class')).toBe('linked');
    expect(await confirm.isHidden()).toBe(true);
  });

  it('shows "expired" for a code past its time, and offers no button', async () => {
    signedIn = { id: 'user_cid', email: 'cid@example.test' };
    const code = await newCode('cid');
    await t.app.models.LinkCode.updateMany(
      { platformUserId: 'cid' },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    const { page } = await open(code);
    await expect.poll(() => result(page).textContent()).toContain('has expired');
    expect(await page.locator('#confirm').isHidden()).toBe(true);
  });

  it('works behind a proxy that serves the bot under a path prefix (PUBLIC_URL with a path)', async () => {
    signedIn = { id: 'user_pre', email: 'pre@example.test' };
    const code = await newCode('pre');
    const seen: string[] = [];
    // The proxy passes /gentrade/... on without the prefix and answers anything else with 404.
    const proxy = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (!req.url?.startsWith('/gentrade/')) {
        res.writeHead(404).end();
        return;
      }
      const upstream = request(
        `${base}${req.url.slice('/gentrade'.length)}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/gentrade/link?code=${code}`);
      await expect
        .poll(() => page.locator('#identity').textContent())
        .toBe('This links test identity pre to the account you sign in with.');
      await page.locator('#confirm').click();
      await expect.poll(() => result(page).textContent()).toMatch(/^Linked the test pre \(id pre\) identity/);
      // Every file and API call of the page went through the prefix (the browser's own favicon aside).
      expect(seen.filter((url) => !url.startsWith('/gentrade/') && url !== '/favicon.ico')).toEqual([]);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('asks a signed-out trader to sign in through Clerk, with no confirm button yet', async () => {
    signedIn = null;
    const { page } = await open(await newCode('dee'));
    await expect.poll(() => page.locator('#sign-in').textContent()).toBe('Sign in (stand-in)');
    expect(await page.locator('#confirm').isHidden()).toBe(true);
  });
});
