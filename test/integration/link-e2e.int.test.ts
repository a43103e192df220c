// One trader across platforms, end to end on the protocol peers: a Telegram user links, then a Slack
// user links to the same Clerk account and sees the Telegram user's strategies; a Slack user who
// never linked sees none. Codes travel as the platforms deliver them, and confirms go over HTTP with
// real RS256 session tokens. Asked for where others read (a group, a channel, a server), the code and
// the news of the link reach the trader alone: ephemeral answers and the trader's DM with the bot.
// discord.js before the app: loaded after vega-lite (the app's charts), the inspector bundled in its
// event emitter fails as it loads (discord.int.test.ts imports it first as well).
import 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterHarness } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { confirmCode } from '../support/link-through.ts';
import { discordHarness } from '../support/peers/discord/harness.ts';
import { dmChannel, slackHarness } from '../support/peers/slack/harness.ts';
import { GROUP, telegramHarness, user } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

/** What the linked chat is told: which account it joined. */
const LINKED_HERE = /^This chat is now linked to the account /;

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;
let clerk: TestClerk;
const tg = telegramHarness();
const slack = slackHarness();
const discord = discordHarness();

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', PUBLIC_URL, ...clerk.env(PUBLIC_URL) });
  await tg.start(t);
  await slack.start(t);
  await discord.start(t);
});
afterAll(async () => {
  await discord.stop();
  await slack.stop();
  await tg.stop();
  await t?.stop();
});

/** The code in a /link answer. */
function codeIn(text: string): string {
  const code = /Your link code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in ${text}`);
  return code;
}

/** The newest link code the harness's user was shown (in `chatId`, and other than `not`). */
async function codeShown(h: AdapterHarness, chatId?: string, not?: string): Promise<string> {
  const found = await until('a link code', () =>
    [...h.messages()]
      .reverse()
      .find(
        (m) =>
          (chatId === undefined || m.chatId === chatId) &&
          /Your link code: /.test(m.text) &&
          (not === undefined || !m.text.includes(not)),
      ),
  );
  return codeIn(found.text);
}

/** Time for a message that should not come to arrive, before checking that it did not. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

/** The link page's confirm, signed in as `clerkUserId`. */
const confirm = (code: string, clerkUserId: string) => confirmCode(t, clerk, code, clerkUserId);

const texts = (h: AdapterHarness, from: number) =>
  h
    .messages()
    .slice(from)
    .map((m) => m.text)
    .join('\n');

describe('one trader across platforms', () => {
  it('sends a code asked for in a Telegram group to the private chat, and the news of the link too', async () => {
    const before = tg.messages().length;
    const privately = String(user('grp').id);
    await tg.peer().send({ chat: GROUP, from: user('grp'), text: '/link' });
    const code = await codeShown(tg, privately);
    const groupMessages = () =>
      tg
        .messages()
        .slice(before)
        .filter((m) => m.chatId === String(GROUP.id));
    // The private code and the group notice are separate sends; either may arrive first.
    await until('the notice in the group', () => groupMessages()[0]);
    expect(groupMessages().map((m) => m.text)).toEqual(['I sent you the answer in a private message.']);

    // A refusal (someone else's code, or another account) is the page's business only.
    await tg.peer().send({ chat: GROUP, from: user('grp'), text: '/link' });
    const second = await codeShown(tg, privately, code);
    expect((await confirm(code, 'user_grp')).ok).toBe(false); // retired by the second /link
    const linked = await confirm(second, 'user_grp');
    expect(linked.ok).toBe(true);
    await until('the link news in the private chat', () =>
      tg
        .messages()
        .slice(before)
        .find((m) => m.chatId === privately && LINKED_HERE.test(m.text)),
    );
    expect((await confirm(second, 'user_grp')).ok).toBe(false);
    await settle();
    const said = tg.messages().slice(before);
    expect(said.filter((m) => m.chatId === String(GROUP.id)).map((m) => m.text)).toEqual([
      'I sent you the answer in a private message.',
      'I sent you the answer in a private message.',
    ]);
    const told = said.filter((m) => /valid|used|Linked|now linked/.test(m.text)).map((m) => m.text);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(LINKED_HERE);
  });

  it('answers /link in a Slack channel ephemerally, and tells the link in the DM, not the channel', async () => {
    const peer = slack.peer();
    const before = peer.messages().length;
    await peer.slashCommand({ userId: 'U0CHAN', channelId: 'C0TEAM', command: '/link', text: '' });
    const answer = await until('the code', () =>
      peer
        .messages()
        .slice(before)
        .find((m) => /Your link code: /.test(m.text)),
    );
    expect(answer).toMatchObject({ chatId: 'C0TEAM', via: 'response_url', visibleTo: 'U0CHAN' });
    const linked = await confirm(codeIn(answer.text), 'user_chan');
    expect(linked.ok).toBe(true);
    const news = await until('the link news', () =>
      peer
        .messages()
        .slice(before)
        .find((m) => LINKED_HERE.test(m.text)),
    );
    expect(news.chatId).toBe(dmChannel('U0CHAN'));
    await settle();
    expect(
      peer
        .messages()
        .slice(before)
        .filter((m) => m.chatId === 'C0TEAM' && m.visibleTo === undefined),
    ).toEqual([]);
  });

  it('answers /link in a Discord server ephemerally, and tells the link in the DM, not the channel', async () => {
    const peer = discord.peer();
    const before = discord.messages().length;
    await peer.command('dora', 'link', '', { guild: true });
    const answer = await until('the code', () =>
      discord
        .messages()
        .slice(before)
        .find((m) => /Your link code: /.test(m.text)),
    );
    expect(peer.raw(answer.id)).toMatchObject({ via: 'reply', ephemeral: true });
    const linked = await confirm(codeIn(answer.text), 'user_dora');
    expect(linked.ok).toBe(true);
    const news = await until('the link news', () =>
      discord
        .messages()
        .slice(before)
        .find((m) => LINKED_HERE.test(m.text)),
    );
    expect(news.chatId).toBe(peer.dmChannelId('dora'));
    await settle();
    const inServer = discord
      .messages()
      .slice(before)
      .filter((m) => m.chatId === peer.textChannelId && !peer.raw(m.id)?.ephemeral);
    expect(inServer).toEqual([]);
  });

  it('links Telegram, then Slack to the same account, which sees the Telegram strategies', async () => {
    await tg.dm('tina', '/new BTC SMA 20/50 cross on 1h with a 5% stop');
    await until('the strategy card', () => tg.messages().find((m) => /sma/i.test(m.text)), 120_000);
    const [owned] = await t.app.models.Strategy.find({}).lean();
    const name = owned?.name ?? '';
    expect(name).not.toBe('');

    await tg.dm('tina', '/link');
    const tgLinked = await confirm(await codeShown(tg, String(user('tina').id)), 'user_trader');
    expect(tgLinked.ok).toBe(true);
    await until('the link news in Telegram', () => tg.messages().find((m) => LINKED_HERE.test(m.text)));

    // Slack: before linking this user sees nothing of Tina's.
    let from = slack.messages().length;
    await slack.command('U0SAM', 'strategies', '');
    await until('the list', () => texts(slack, from).includes('strategies'));
    expect(texts(slack, from)).toContain('You have no strategies yet.');
    expect(texts(slack, from)).not.toContain(name);

    await slack.command('U0SAM', 'link', '');
    const slackLinked = await confirm(await codeShown(slack, dmChannel('U0SAM')), 'user_trader');
    expect(slackLinked.ok).toBe(true);
    // Tina's Telegram chat hears that a Slack identity joined her account.
    await until('the notice in Telegram', () =>
      tg
        .messages()
        .find(
          (m) =>
            m.chatId === String(user('tina').id) &&
            m.text.startsWith('Slack U0SAM (id U0SAM) was linked to your account.'),
        ),
    );

    from = slack.messages().length;
    await slack.command('U0SAM', 'strategies', '');
    await until('the shared list', () => texts(slack, from).includes(name));

    from = slack.messages().length;
    await slack.command('U0SAM', 'whoami', '');
    const listed = await until('whoami', () =>
      texts(slack, from).includes('with these chats') ? texts(slack, from) : undefined,
    );
    expect(listed).toMatch(new RegExp(`^- Telegram .+ \\(id ${user('tina').id}\\)$`, 'm'));
    expect(listed).toContain('- Slack U0SAM (id U0SAM), this chat');
  });

  it('shows an unlinked user none of them', async () => {
    const from = slack.messages().length;
    await slack.command('U0NOBODY', 'strategies', '');
    await until('the list', () => texts(slack, from).includes('strategies'));
    expect(texts(slack, from)).toContain('You have no strategies yet.');
  });
});
