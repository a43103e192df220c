// Importing a strategy sent as a .py file on Slack and Discord, through the real adapters against
// their loopback peers, the real core, database and engine. Slack's file is only served with the bot
// token (the peer redirects anything else to its sign-in page, as Slack does).
// discord.js first: loaded after the app, its bundled inspect polyfill fails at import (as in
// discord.int.test.ts, which imports it first too).
import 'discord.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { discordHarness } from '../support/peers/discord/harness.ts';
import { type SlackPeer, startSlackPeer } from '../support/peers/slack/index.ts';
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
