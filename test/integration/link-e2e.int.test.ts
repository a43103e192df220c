// One trader across platforms, end to end on the protocol peers: a Telegram user links, then a Slack
// user links to the same Clerk account and sees the Telegram user's strategies; a Slack user who
// never linked sees none. Codes travel as the platforms deliver them, and confirms go over HTTP with
// real RS256 session tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterHarness } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { slackHarness } from '../support/peers/slack/harness.ts';
import { GROUP, telegramHarness, user } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;
let clerk: TestClerk;
const tg = telegramHarness();
const slack: AdapterHarness = slackHarness();

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', PUBLIC_URL, ...clerk.env(PUBLIC_URL) });
  await tg.start(t);
  await slack.start(t);
});
afterAll(async () => {
  await slack.stop();
  await tg.stop();
  await t?.stop();
});

/** The newest link code the harness's user was shown. */
async function codeShown(h: AdapterHarness, chatId?: string): Promise<string> {
  const found = await until('a link code', () =>
    [...h.messages()]
      .reverse()
      .find((m) => (chatId === undefined || m.chatId === chatId) && /Your link code: /.test(m.text)),
  );
  const code = /Your link code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(found.text)?.[1];
  if (!code) throw new Error(`no code in ${found.text}`);
  return code;
}

async function confirm(code: string, clerkUserId: string) {
  const res = await fetch(`http://127.0.0.1:${t.app.httpPort}/link/api/confirm`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${clerk.token({ sub: clerkUserId })}`,
    },
    body: JSON.stringify({ code }),
  });
  return (await res.json()) as { ok: boolean; sentence: string };
}

const texts = (h: AdapterHarness, from: number) =>
  h
    .messages()
    .slice(from)
    .map((m) => m.text)
    .join('\n');

describe('one trader across platforms', () => {
  it('sends a code asked for in a Telegram group to the private chat, never to the group', async () => {
    const before = tg.messages().length;
    await tg.peer().send({ chat: GROUP, from: user('grp'), text: '/link' });
    const code = await codeShown(tg, String(user('grp').id));
    const groupMessages = () =>
      tg
        .messages()
        .slice(before)
        .filter((m) => m.chatId === String(GROUP.id));
    // The private code and the group notice are separate sends; either may arrive first.
    await until('the notice in the group', () => groupMessages()[0]);
    const inGroup = groupMessages();
    expect(inGroup.map((m) => m.text)).toEqual(['I sent you the answer in a private message.']);
    expect(JSON.stringify(inGroup)).not.toContain(code);
  });

  it('links Telegram, then Slack to the same account, which sees the Telegram strategies', async () => {
    await tg.dm('tina', '/new BTC SMA 20/50 cross on 1h with a 5% stop');
    await until('the strategy card', () => tg.messages().find((m) => /sma/i.test(m.text)), 120_000);
    const [owned] = await t.app.models.Strategy.find({}).lean();
    const name = owned?.name ?? '';
    expect(name).not.toBe('');

    await tg.dm('tina', '/link');
    const tgLinked = await confirm(await codeShown(tg), 'user_trader');
    expect(tgLinked.ok).toBe(true);
    await until('the link news in Telegram', () => tg.messages().find((m) => m.text === tgLinked.sentence));

    // Slack: before linking this user sees nothing of Tina's.
    let from = slack.messages().length;
    await slack.command('U0SAM', 'strategies', '');
    await until('the list', () => texts(slack, from).includes('strategies'));
    expect(texts(slack, from)).toContain('You have no strategies yet.');
    expect(texts(slack, from)).not.toContain(name);

    await slack.command('U0SAM', 'link', '');
    const slackLinked = await confirm(await codeShown(slack), 'user_trader');
    expect(slackLinked.ok).toBe(true);

    from = slack.messages().length;
    await slack.command('U0SAM', 'strategies', '');
    await until('the shared list', () => texts(slack, from).includes(name));

    from = slack.messages().length;
    await slack.command('U0SAM', 'whoami', '');
    await until('whoami', () => texts(slack, from).includes('Also linked: Telegram'));
  });

  it('shows an unlinked user none of them', async () => {
    const from = slack.messages().length;
    await slack.command('U0NOBODY', 'strategies', '');
    await until('the list', () => texts(slack, from).includes('strategies'));
    expect(texts(slack, from)).toContain('You have no strategies yet.');
  });
});
