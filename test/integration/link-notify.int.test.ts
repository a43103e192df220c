// One account, several chats: when another identity links, the account's other chats are told (in
// their direct chat with the bot); /whoami lists every chat on the account with its platform, handle
// and id; /unlink detaches this chat, or with a platform (and id) another chat of the same account,
// and never a chat of someone else's account. Real core, storage and link API with RS256 tokens.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { confirmCode } from '../support/link-through.ts';
import { until } from '../support/wait.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;
let clerk: TestClerk;

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', PUBLIC_URL, ...clerk.env(PUBLIC_URL) });
});
afterAll(() => t?.stop());

/** Links the test user's chat to the Clerk user through /link and the confirm API. */
async function link(user: string, clerkUserId: string): Promise<string> {
  const text = (await t.send('/link', user))[0]?.text ?? '';
  const code = /Your link code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in ${text}`);
  const body = await confirmCode(t, clerk, code, clerkUserId);
  expect(body.ok).toBe(true);
  return body.sentence;
}

/** What each test user's chat was sent since `from`, by user. */
function toldSince(from: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { to, message } of t.delivered.slice(from)) {
    out[to.userId] = [...(out[to.userId] ?? []), message.text];
  }
  return out;
}

const said = async (text: string, user: string) => (await t.send(text, user)).map((m) => m.text).join('\n');

describe('one account, several chats', () => {
  it('tells the account’s other chats when another identity links, and the new one how it went', async () => {
    let from = t.delivered.length;
    const first = await link('ann', 'user_acc');
    await until('the news', () => toldSince(from).ann);
    expect(toldSince(from)).toEqual({ ann: [first] });

    from = t.delivered.length;
    const second = await link('bob', 'user_acc');
    await until('the notice', () => toldSince(from).ann);
    expect(toldSince(from)).toEqual({
      bob: [second],
      ann: ['test bob (id bob) was linked to your account. Not you? Send /unlink test bob here.'],
    });

    from = t.delivered.length;
    await link('cat', 'user_acc');
    await until('both notices', () => (toldSince(from).bob ? toldSince(from).ann : undefined));
    const notice = 'test cat (id cat) was linked to your account. Not you? Send /unlink test cat here.';
    expect(toldSince(from).ann).toEqual([notice]);
    expect(toldSince(from).bob).toEqual([notice]);

    // Another account's link is none of this account's business.
    from = t.delivered.length;
    await link('dan', 'user_other');
    await until('dan’s news', () => toldSince(from).dan);
    expect(Object.keys(toldSince(from))).toEqual(['dan']);
  });

  it('/whoami lists every chat on the account: platform, handle and id', async () => {
    expect(await said('/whoami', 'bob')).toBe(
      [
        'You are bob on test (id bob). Linked to an account, with these chats:',
        '- test ann (id ann)',
        '- test bob (id bob), this chat',
        '- test cat (id cat)',
        'To unlink a chat: /unlink <platform> <id>; /unlink alone unlinks this one.',
      ].join('\n'),
    );
  });

  it('/unlink <platform> asks which when the account has several chats there', async () => {
    expect(await said('/unlink test', 'ann')).toBe(
      'Your account has 3 test chats: test ann (id ann), test bob (id bob), test cat (id cat). Say which: /unlink test <id>.',
    );
    expect(await said('/unlink telegram', 'ann')).toBe(
      'No Telegram chat is linked to your account. /whoami lists the ones that are.',
    );
  });

  it('/unlink <platform> <id> detaches another chat of the account, and only of this account', async () => {
    expect(await said('/unlink test dan', 'ann')).toBe(
      'No test chat with id dan is linked to your account. /whoami lists the ones that are.',
    );
    expect(await said('/whoami', 'dan')).toContain('Linked to an account');
    // A guest has no account whose chats it could name.
    expect(await said('/unlink test ann', 'eve')).toBe(
      'This chat is not linked to an account, so it has no other chats to unlink.',
    );

    const from = t.delivered.length;
    expect(await said('/unlink TEST bob', 'ann')).toBe(
      'Unlinked test bob (id bob) from your account. That chat starts afresh as a guest; your strategies stay with the account.',
    );
    // The unlinked chat is told, in its own direct chat, by whom.
    const told = await until('the unlinked chat told', () => toldSince(from).bob);
    expect(told).toEqual([
      'This chat was unlinked from your account by test ann (id ann). Here you start afresh as a guest; the account keeps its strategies. Send /link to link again.',
    ]);
    expect(await said('/whoami', 'bob')).toContain('You are a guest');
    expect(await said('/whoami', 'ann')).not.toContain('id bob');
    // Naming this chat is the same as /unlink alone.
    expect(await said('/unlink test cat', 'cat')).toContain('Unlinked this test identity.');
    expect(await said('/whoami', 'ann')).toContain(
      'Linked to an account, with these chats:\n- test ann (id ann), this chat\nTo unlink',
    );
    expect(await said('/unlink test ann extra', 'ann')).toContain('Usage: /unlink');
  });
});
