// Importing a strategy sent as a .py file on Slack, Discord and Telegram, through the real adapters
// against their loopback peers, the real core, database and engine. Slack's file is only served with
// the bot token (the peer redirects anything else to its sign-in page, as Slack does); Telegram's
// download URL carries the token (the peer 404s any other).
// discord.js first: loaded after the app, its bundled inspect polyfill fails at import (as in
// discord.int.test.ts, which imports it first too).
import 'discord.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Api } from 'grammy';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.ts';
import { createTelegramDownload } from '../../adapters/telegram/download.ts';
import type { TelegramAdapter } from '../../adapters/telegram/index.ts';
import { AppError } from '../../src/errors.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { discordHarness } from '../support/peers/discord/harness.ts';
import { type SlackPeer, startSlackPeer } from '../support/peers/slack/index.ts';
import { dmChat, startAdapter, TOKEN as TELEGRAM_TOKEN, user } from '../support/peers/telegram/harness.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram/peer.ts';
import { until } from '../support/wait.ts';

const BOT_TOKEN = 'xoxb-peer-bot-token';
const APP_TOKEN = 'xapp-peer-app-token';
const DIR = path.resolve('freqtrade/engine/tests/strategies');
const source = (file: string) => readFileSync(path.join(DIR, `${file}.py`), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('Slack', () => {
  let peer: SlackPeer;
  let adapter: SlackAdapter;
  beforeAll(async () => {
    peer = await startSlackPeer({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    adapter = createSlackAdapter({
      config: {
        botToken: BOT_TOKEN,
        signingSecret: undefined,
        appToken: APP_TOKEN,
        apiUrl: peer.apiUrl,
        port: 0,
        host: '127.0.0.1',
      },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: process.env.TEST_LOG ? 'debug' : 'silent' }),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.stop();
  });

  it('imports a .py file shared in a DM, downloading it with the bot token', async () => {
    const file = peer.shareFile('donchian_atr_breakout.py', source('donchian_atr_breakout'));
    // Without the token the file is not served: Slack redirects to its sign-in page.
    const anonymous = await fetch(file.url_private, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    await peer.event({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      user: 'U0ALICE',
      channel: 'D0ALICE',
      text: '',
      files: [file],
    });
    const reply = await until(
      'the import reply',
      () => peer.messages().find((m) => m.text.includes('Imported donchian-atr-breakout as custom code.')),
      120_000,
    );
    expect(reply.text).toContain('Loads in Freqtrade');
    expect(reply.buttons.map((b) => b.label)).toEqual(['Backtest', 'Show code', 'Delete']);
    expect(peer.downloads()).toEqual([
      { id: file.id, authorized: false },
      { id: file.id, authorized: true },
    ]);
    const doc = await t.app.models.Strategy.findOne({ name: 'donchian-atr-breakout' }).lean();
    expect(doc?.code).toBe(source('donchian_atr_breakout'));
  });

  it('imports a pasted code block, with the <, > and & Slack escapes undone', async () => {
    const code = source('zero_trade_custom');
    expect(code).toContain('<');
    const escaped = `\`\`\`${code}\`\`\``.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await peer.event({
      type: 'message',
      channel_type: 'im',
      user: 'U0ALICE',
      channel: 'D0ALICE',
      text: escaped,
    });
    await until(
      'the import reply',
      () => peer.messages().find((m) => m.text.includes('Imported zero-trade-custom as custom code.')),
      120_000,
    );
    const doc = await t.app.models.Strategy.findOne({ name: 'zero-trade-custom' }).lean();
    expect(doc?.code).toBe(code);
  });
});

describe('Discord', () => {
  const harness = discordHarness();
  beforeAll(async () => {
    await harness.start(t);
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('imports a .py attachment sent in a DM, fetched from the CDN URL', async () => {
    const peer = harness.peer();
    await peer.message({
      user: 'dora',
      text: 'my scalper, for SOL',
      files: [{ name: 'stoch_cci_scalper.py', data: source('stoch_cci_scalper') }],
    });
    const reply = await until(
      'the import reply',
      () => peer.messages().find((m) => m.text.includes('Imported stoch-cci-scalper as custom code.')),
      120_000,
    );
    expect(reply.text).toContain('SOL/USDT');
    expect(
      peer
        .requests()
        .some((r) => r.method === 'GET' && r.path.startsWith('/attachments/') && r.status === 200),
    ).toBe(true);
    const doc = await t.app.models.Strategy.findOne({ name: 'stoch-cci-scalper' }).lean();
    expect(doc).toMatchObject({ kind: 'custom', timeframe: '15m', pairs: ['SOL/USDT'] });
  });
});

describe('Telegram', () => {
  let peer: TelegramPeer;
  let adapter: TelegramAdapter;
  const tina = user('tina');
  beforeAll(async () => {
    peer = await startTelegramPeer({ token: TELEGRAM_TOKEN });
    adapter = startAdapter(t, { token: TELEGRAM_TOKEN, apiRoot: peer.apiRoot, webhook: undefined });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.close();
  });
  const sendFile = (
    filename: string,
    data: string | Buffer,
    opts: { caption?: string; size?: number } = {},
  ) => peer.sendFile({ chat: dmChat(tina), from: tina, filename, data, ...opts });
  const replyContaining = (text: string, timeoutMs = 120_000) =>
    until(
      `a reply containing "${text}"`,
      () => peer.messages().find((m) => m.text.includes(text)),
      timeoutMs,
    );

  it('imports a .py document with the caption "for ETH", downloaded from the file URL with the token', async () => {
    await sendFile('ema_rsi_pullback.py', source('ema_rsi_pullback'), { caption: 'for ETH' });
    const reply = await replyContaining('Imported ema-rsi-pullback as custom code.');
    expect(reply.text).toContain('Loads in Freqtrade');
    expect(reply.text).toContain('ETH/USDT');
    expect(reply.buttons.map((b) => b.label)).toEqual(['Backtest', 'Show code', 'Delete']);
    const doc = await t.app.models.Strategy.findOne({ name: 'ema-rsi-pullback' }).lean();
    expect(doc).toMatchObject({ kind: 'custom', timeframe: '1h', pairs: ['ETH/USDT'] });
    expect(doc?.code).toBe(source('ema_rsi_pullback'));
    const [download] = peer.downloads();
    expect(peer.downloads()).toEqual([{ path: download?.path, status: 200 }]);
    // The file is only served with the bot's own token in the URL.
    const wrong = await fetch(`${peer.apiRoot}/file/bot123456:wrong/${download?.path}`);
    expect(wrong.status).toBe(404);
  });

  it('rejects a hostile document naming the line and the rule, and stores nothing', async () => {
    const hostile = source('ema_rsi_pullback')
      // Read, not a leftover: an import nobody uses is let through.
      .replace('import talib.abstract as ta', 'import os\nimport talib.abstract as ta\nHOME = os.environ')
      .replace('class EmaRsiPullback(', 'class HostilePullback(');
    const before = await t.app.models.Strategy.countDocuments();
    await sendFile('hostile_pullback.py', hostile);
    const reply = await replyContaining('rejected at the static stage');
    const line = hostile.split('\n').indexOf('import os') + 1;
    expect(reply.text).toMatch(new RegExp(`line ${line}: .*\\(forbidden-import\\)`));
    expect(reply.text).toContain('nothing was saved');
    expect(await t.app.models.Strategy.countDocuments()).toBe(before);
    expect(await t.app.models.Strategy.findOne({ name: 'hostile-pullback' }).lean()).toBeNull();
  });

  it('refuses a document over the import limit by its file_size, without asking Telegram for it', async () => {
    const [getFiles, downloads] = [peer.calls('getFile'), peer.downloads().length];
    await sendFile('huge_strategy.py', source('ema_rsi_pullback'), { size: 25 * 1024 * 1024 });
    const reply = await replyContaining('huge_strategy.py is 25600 KB', 30_000);
    expect(reply.text).toContain('up to 1024 KB');
    expect(peer.calls('getFile')).toBe(getFiles);
    expect(peer.downloads()).toHaveLength(downloads);
  });

  it('downloads within the 20 MB bot limit only, and never puts the token in an error', async () => {
    const api = new Api(TELEGRAM_TOKEN, { apiRoot: peer.apiRoot });
    const download = createTelegramDownload({ api, apiRoot: peer.apiRoot, token: TELEGRAM_TOKEN });
    const errorOf = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail('the download should have failed'),
        (err: unknown) => {
          expect(err).toBeInstanceOf(AppError);
          return err instanceof AppError ? err : expect.fail('not an AppError');
        },
      );
    // A file over the limit: refused on the update's file_size, else on getFile's refusal.
    const getFiles = peer.calls('getFile');
    const big = peer.addFile('big.py', '# big', 21 * 1024 * 1024).fileId;
    expect((await errorOf(download(big, 21 * 1024 * 1024))).userMessage).toMatch(/over 20 MB/);
    expect(peer.calls('getFile')).toBe(getFiles); // refused before asking
    expect((await errorOf(download(big, undefined))).userMessage).toMatch(/over 20 MB/);
    expect(peer.calls('getFile')).toBe(getFiles + 1);

    // A wrong token in the file URL: the peer answers 404; the error names the status, not the URL.
    const small = peer.addFile('small.py', '# small').fileId;
    expect(Buffer.from(await download(small, 7)).toString()).toBe('# small');
    const leaky = createTelegramDownload({ api, apiRoot: peer.apiRoot, token: '123456:not-the-token' });
    const err = await errorOf(leaky(small, 100));
    expect(err.userMessage).toBe('I could not download that file from Telegram. Try sending it again.');
    expect(err.message).toBe('file download: HTTP 404');
    expect(`${err.message} ${err.stack} ${String(err.cause)}`).not.toContain('not-the-token');
  });
});
