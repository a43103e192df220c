// The outbox's rules for parts on Discord, against the Discord peer with the real adapter, notifier and
// outbox on FerretDB: a card whose chart Discord keeps refusing goes out without it, with a line saying
// so, and the chat moves on; an answer without Discord's error code is given up after a few tries, not
// retried for hours. (Telegram's and Slack's are in outbox-parts.int.test.ts.)
// discord.js first: loaded after vitest, its event emitter's inspect shim fails at import.
import 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardImage, OutgoingMessage } from '../../src/core/types.ts';
import { leftOutLine } from '../../src/delivery-errors.ts';
import { FEW_TRIES } from '../../src/outbox-retry.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { discordHarness } from '../support/peers/discord/harness.ts';
import { until } from '../support/wait.ts';

const image: CardImage = { filename: 'equity.png', contentType: 'image/png', data: new Uint8Array(2000) };
const card: OutgoingMessage = {
  text: 'Backtest of demo: done.',
  card: { title: 'Backtest: demo', fields: [{ name: 'Trades', value: '42' }], image },
  buttons: [{ label: 'Run again', action: 'help' }],
};
const GIVING_UP = 'giving up on an outbox message; the result stays in /show';

describe('Discord', () => {
  let t: TestApp;
  const h = discordHarness();
  beforeAll(async () => {
    t = await startTestApp();
    await h.start(t);
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await t?.stop();
  });
  // A user's DM: the conversation id is their own id, which the sink opens as a DM channel.
  const dm = (user: string) => ({ platform: 'discord', conversationId: user, userId: user });
  const posts = () =>
    h
      .peer()
      .requests()
      .filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
  const outboxEmpty = async () => (await t.app.models.Outbox.countDocuments({ platform: 'discord' })) === 0;

  it('leaves out a chart Discord keeps refusing, with a line, and the next message goes out', async () => {
    const route = /^\/channels\/[^/]+\/messages$/;
    h.peer().breakRoute('POST', route, 500, { uploads: true });
    const before = posts().length;
    expect(await t.app.notifier.notify(dm('d1'), card)).toBe(false);
    expect(await t.app.notifier.notify(dm('d1'), { text: 'Later news.' })).toBe(false);
    await until('the later message', () => h.messages().some((m) => m.text === 'Later news.'), 90_000);
    h.peer().mendRoute('POST', route);
    await until('the outbox emptied', outboxEmpty);
    const sent = h.messages().filter((m) => m.text.includes('Backtest of demo') || m.text === 'Later news.');
    expect(sent.map((m) => m.text)).toEqual([
      expect.stringMatching(new RegExp(`^Backtest of demo: done\\.\\n\\n${leftOutLine('the chart')}`)),
      'Later news.',
    ]);
    // The card itself rode on the message: its buttons are there, its image is not.
    expect(sent[0]?.buttons.map((b) => b.label)).toEqual(['Run again']);
    expect(sent[0]?.images).toEqual([]);
    // Only the tries at the chart failed (discord.js itself retries a 500 a few times within one try).
    expect(posts().length - before).toBeGreaterThanOrEqual(FEW_TRIES + 2);
  }, 120_000);

  it('gives up on a message answered without an error code after a few tries', async () => {
    const lines = () => t.logs.filter((l) => l.msg === GIVING_UP);
    const seen = lines().length;
    const route = /^\/channels\/[^/]+\/messages$/;
    h.peer().breakRoute('POST', route, 400, { bare: true });
    expect(await t.app.notifier.notify(dm('d2'), { text: 'Lost in the middle.' })).toBe(false);
    await until('the outbox gave up', () => lines().length > seen, 90_000);
    h.peer().mendRoute('POST', route);
    expect(await outboxEmpty()).toBe(true);
    // The chat isn't held: the next message goes out at once.
    expect(await t.app.notifier.notify(dm('d2'), { text: 'Back again.' })).toBe(true);
    expect(h.messages().some((m) => m.text === 'Lost in the middle.')).toBe(false);
  }, 120_000);
});
