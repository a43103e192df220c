// A card sent in parts when one part keeps failing: the Telegram adapter against the Bot API peer, one
// method of which fails while the others work, and the real notifier and outbox on FerretDB. The text
// already in the chat is never sent again, a chart or file that keeps failing is left out with a line
// saying so (the chat's later messages then go out), and answers without Telegram's usual fields are
// not retried for hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardImage, OutgoingMessage } from '../../src/core/types.ts';
import { leftOutLine } from '../../src/delivery-errors.ts';
import { FEW_TRIES } from '../../src/outbox-retry.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type Rig, startRig } from '../support/peers/slack/harness.ts';
import { dmAddress, telegramHarness } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

let t: TestApp;
const h = telegramHarness();
beforeAll(async () => {
  t = await startTestApp();
  await h.start(t);
});
afterAll(async () => {
  await h.stop();
  await t?.stop();
});

const image: CardImage = { filename: 'equity.png', contentType: 'image/png', data: new Uint8Array(2000) };
const chatOf = (name: string) => dmAddress(name).conversationId;
const shown = (name: string) => h.messages().filter((m) => m.chatId === chatOf(name));
const tries = (name: string, method: string) =>
  h
    .peer()
    .attempts(chatOf(name))
    .filter((m) => m === method);
const outboxEmpty = async () => (await t.app.models.Outbox.countDocuments()) === 0;

/** A result as the backtest job posts it: the status message edited to "done", the card on its chart. */
function result(key: string): OutgoingMessage {
  return {
    text: 'Backtest of demo: done.',
    progress: { key, state: 'succeeded' },
    card: { title: 'Backtest: demo', fields: [{ name: 'Trades', value: '42' }], image },
    buttons: [{ label: 'Run again', action: 'help' }],
    code: { language: 'python', content: 'class Demo: pass\n', filename: 'demo.py' },
  };
}

describe('a card whose chart keeps failing', () => {
  it('resumes after the parts already sent, then leaves the chart out with a line, and the chat moves on', async () => {
    const address = dmAddress('p1');
    await t.app.notifier.notify(address, {
      text: 'Backtest of demo: queued.',
      progress: { key: 'bt-p1', state: 'queued' },
    });
    // Telegram takes every call but sendPhoto, whose connection drops each time.
    h.peer().breakMethod('sendPhoto', { status: 0, cut: true });
    expect(await t.app.notifier.notify(address, result('bt-p1'))).toBe(false);
    // Meanwhile the user gets another answer: it waits behind the card, in order.
    expect(await t.app.notifier.notify(address, { text: 'Later news.' })).toBe(false);
    await until('the chart left out', () => shown('p1').some((m) => m.text.includes('Later news.')), 60_000);
    h.peer().mend('sendPhoto');

    const [status, card, code, later, ...rest] = shown('p1');
    expect(rest).toHaveLength(0);
    // The status message was edited once to "done" and never sent again.
    expect(status).toMatchObject({ text: 'Backtest of demo: done.', edits: 1 });
    expect(tries('p1', 'sendMessage').length).toBe(3); // queued, the card as text, "Later news."
    expect(tries('p1', 'editMessageText')).toHaveLength(1);
    expect(tries('p1', 'sendPhoto')).toHaveLength(FEW_TRIES);
    // The card itself is never lost with its chart: its text and buttons, and the line saying why.
    expect(card?.text).toBe(`Backtest: demo\nTrades: 42\n\n${leftOutLine('the chart')}`);
    expect(card?.buttons.map((b) => b.label)).toEqual(['Run again']);
    expect(code?.files).toEqual([{ filename: 'demo.py', bytes: 17 }]);
    expect(later?.text).toBe('Later news.');
    expect(await outboxEmpty()).toBe(true);
    // The progress record still points at the status message, so a late state can't post a second one.
    const record = await t.app.models.Delivery.findOne({ progressKey: 'bt-p1' }).lean();
    expect(record).toMatchObject({ messageId: status?.id, state: 'succeeded' });
  });

  it('sends a file that failed once when Telegram takes it again, without the parts before it', async () => {
    const address = dmAddress('p2');
    h.peer().breakMethod('sendDocument', { status: 0, cut: true, times: 1 });
    expect(await t.app.notifier.notify(address, { text: 'Here is the code.', code: result('x').code })).toBe(
      false,
    );
    await until('the file', () => shown('p2').some((m) => m.files.length > 0), 60_000);
    await until('the outbox emptied', outboxEmpty);
    expect(shown('p2').map((m) => m.text || m.files[0]?.filename)).toEqual(['Here is the code.', 'demo.py']);
    expect(tries('p2', 'sendMessage')).toHaveLength(1);
    expect(tries('p2', 'sendDocument')).toHaveLength(2);
  });
});

describe('answers without an error code', () => {
  it('gives up on a text after a few such answers instead of retrying for hours', async () => {
    const lines = () =>
      t.logs.filter((l) => l.msg === 'giving up on an outbox message; the result stays in /show');
    const before = lines().length;
    // A proxy or emulator in between answers {ok: false} without error_code.
    h.peer().breakMethod('sendMessage', { status: 502, body: { ok: false, description: 'Bad Gateway' } });
    expect(await t.app.notifier.notify(dmAddress('p3'), { text: 'Lost in the middle.' })).toBe(false);
    await until('the outbox gave up', () => lines().length > before, 60_000);
    h.peer().mend('sendMessage');
    expect(tries('p3', 'sendMessage')).toHaveLength(FEW_TRIES);
    expect(await outboxEmpty()).toBe(true);
    // The chat isn't held: the next message goes out at once.
    expect(await t.app.notifier.notify(dmAddress('p3'), { text: 'Back again.' })).toBe(true);
    expect(shown('p3').map((m) => m.text)).toEqual(['Back again.']);
  });

  it('leaves out a file answered that way, keeping the text sent before it', async () => {
    h.peer().breakMethod('sendDocument', { status: 500, body: { ok: false } });
    expect(
      await t.app.notifier.notify(dmAddress('p4'), { text: 'Code below.', code: result('y').code }),
    ).toBe(false);
    await until('the line about the file', () => shown('p4').length === 2, 60_000);
    h.peer().mend('sendDocument');
    expect(shown('p4').map((m) => m.text)).toEqual(['Code below.', leftOutLine('demo.py')]);
    expect(tries('p4', 'sendDocument')).toHaveLength(FEW_TRIES);
    await until('the outbox emptied', outboxEmpty);
  });
});

describe('a Slack card whose chart keeps failing to share', () => {
  let app: TestApp;
  let rig: Rig;
  beforeAll(async () => {
    app = await startTestApp();
    rig = await startRig(app, 'http');
  });
  afterAll(async () => {
    await rig?.adapter.stop();
    await rig?.peer.stop();
    await app?.stop();
  });
  const address = { platform: 'slack', conversationId: 'D0PARTS', userId: 'U0PARTS' };
  const inChat = () => rig.peer.messages().filter((m) => m.chatId === 'D0PARTS');
  const calls = (method: string) => rig.peer.calls(method).length;

  it('edits the status to the card once, and leaves the chart out with a line after a few tries', async () => {
    await app.app.notifier.notify(address, {
      text: 'Backtest of demo: queued.',
      progress: { key: 'sl-1', state: 'queued' },
    });
    // Slack answers internal_error (ok: false) to the chart's upload each time, until it is left out.
    rig.peer.errorNext('files.getUploadURLExternal', 'internal_error', FEW_TRIES);
    const { code: _code, ...card } = result('sl-1');
    expect(await app.app.notifier.notify(address, card)).toBe(false);
    const line = leftOutLine('the chart');
    await until('the line', () => inChat().some((m) => m.text === line), 60_000);
    await until('the outbox emptied', async () => (await app.app.models.Outbox.countDocuments()) === 0);
    // The card rides on the status message (edited once, never posted again), the line follows it.
    const [status, said, ...rest] = inChat();
    expect(rest).toHaveLength(0);
    expect(status?.text).toBe('Backtest of demo: done.\nBacktest: demo\n*Trades*\n42');
    expect(status?.edits).toBe(1);
    expect(calls('chat.update')).toBe(1);
    expect(said?.text).toBe(line);
    expect(calls('files.getUploadURLExternal')).toBe(FEW_TRIES);
  });
});

describe('a Slack answer without ok or error', () => {
  let app: TestApp;
  let rig: Rig;
  beforeAll(async () => {
    app = await startTestApp();
    rig = await startRig(app, 'http');
  }, 60_000);
  afterAll(async () => {
    await rig?.adapter.stop();
    await rig?.peer.stop();
    await app?.stop();
  });

  it('gives up on a message answered without ok or error after a few tries', async () => {
    const lines = () =>
      app.logs.filter((l) => l.msg === 'giving up on an outbox message; the result stays in /show');
    const seen = lines().length;
    const address = { platform: 'slack', conversationId: 'D0BARE', userId: 'U0BARE' };
    rig.peer.garbleNext('chat.postMessage', 50);
    expect(await app.app.notifier.notify(address, { text: 'Lost in the middle.' })).toBe(false);
    await until('the outbox gave up', () => lines().length > seen, 90_000);
    expect(rig.peer.calls('chat.postMessage').length).toBe(FEW_TRIES);
    rig.peer.garbleNext('chat.postMessage', 0);
    expect(await app.app.models.Outbox.countDocuments({ platform: 'slack' })).toBe(0);
    expect(await app.app.notifier.notify(address, { text: 'Back again.' })).toBe(true);
  }, 120_000);
});
