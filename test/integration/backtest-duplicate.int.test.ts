// Asking for a backtest that is already queued or running joins that run: the reply says so in a plain
// sentence. It must carry no progress key, because a "queued" state for a run already at "running" is
// dropped as stale (the console, the notifier's ordering), and the trader would get no answer at all.
// The app runs as the bot role, so no worker picks the run up: the test moves it to "running" itself,
// as the worker would, and the states are the test's to choose.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PLATFORM, createConsoleAdapter } from '../../adapters/console/index.ts';
import type { ChatAddress } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createConsolePeer } from '../support/peers/console-peer.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ GENTRADE_ROLE: 'bot' });
});
afterAll(async () => {
  await t?.stop();
});

/** What the worker does when it picks a run up: marks it running and posts that state to its chat. */
async function startRun(key: string): Promise<void> {
  const bt = await t.app.backtests.markRunning(key);
  if (!bt) throw new Error(`no backtest ${key}`);
  await t.app.notifier.notify(bt.replyTo, {
    text: `Backtest of ${bt.strategyName}: running.`,
    progress: { key, state: 'running' },
  });
}

async function until<T>(what: string, read: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const got = read();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a backtest asked for twice', () => {
  it('answers the second request with a sentence naming the run it joined', async () => {
    const created = await t.send('/new create a BTC/USDT SMA 20/50 cross strategy on 1h with a 5% stop');
    expect(created[0]?.text).toMatch(/^Created /);
    const strategy = await t.app.models.Strategy.findOne({}).lean();
    const name = String(strategy?.name);
    const what = `${name} 20240101-20240701 on BTC/USDT (1h)`;

    const first = await t.send(`/backtest ${name} 20240101-20240701`);
    expect(first[0]?.text).toBe(`Backtest of ${what}: queued.`);
    const key = String(first[0]?.progress?.key);

    const waiting = await t.send(`/backtest ${name} 20240101-20240701`);
    expect(waiting).toEqual([
      { text: `A backtest of ${what} is already queued; its result will be posted here.` },
    ]);

    await startRun(key);
    const running = await t.send(`/backtest ${name} 20240101-20240701`);
    expect(running).toEqual([
      { text: `A backtest of ${what} is already running; its result will be posted here.` },
    ]);
    // "Run again" with the same settings joins the same way.
    const again = await t.click(String(first[0]?.buttons?.[0]?.action));
    expect(again).toEqual(running);
    expect(await t.app.models.Backtest.countDocuments({ strategyId: strategy?._id })).toBe(1);
  });

  it('prints the sentence in the console while the run is at "running"', async () => {
    const peer = createConsolePeer();
    const imageDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-dup-console-'));
    const adapter = createConsoleAdapter({
      conversation: t.app.conversation,
      input: peer.input,
      output: peer.output,
      interactive: false,
      imageDir,
    });
    t.app.notifier.register(CONSOLE_PLATFORM, adapter);
    const running = adapter.run();
    const texts = () => peer.messages().map((m) => m.text);
    let started: { key: string; replyTo: ChatAddress } | undefined;
    try {
      peer.type('/new create an ETH/USDT EMA 12/26 cross strategy on 1h with a 5% stop');
      const created = await until('the strategy', () => texts().find((x) => x.startsWith('Created ')));
      const name = String(/^Created (\S+?)\./.exec(created)?.[1]);
      peer.type(`/backtest ${name} 20240101-20240701`);
      // The first test's run still waits (no worker here), so this one's reply also says its place.
      await until('the queued reply', () => texts().find((x) => x.includes(': queued.')));
      const bt = await t.app.models.Backtest.findOne({ strategyName: name }).lean();
      if (!bt) throw new Error(`no backtest of ${name}`);
      const key = bt._id.toString();
      started = { key, replyTo: bt.replyTo };
      await startRun(key);
      await until('the running message', () => texts().find((x) => x.includes(': running.')));

      peer.type(`/backtest ${name} 20240101-20240701`);
      const joined = await until('the reply to the second request', () =>
        texts().find((x) => x.startsWith('A backtest of ')),
      );
      expect(joined).toBe(
        `A backtest of ${name} 20240101-20240701 on ETH/USDT (1h) is already running; its result will be posted here.`,
      );
    } finally {
      // The run ends, so the piped console stops waiting for it.
      if (started) {
        await t.app.notifier.notify(started.replyTo, {
          text: 'Stopped by the test.',
          progress: { key: started.key, state: 'failed' },
        });
      }
      peer.close();
      await running;
      rmSync(imageDir, { recursive: true, force: true });
    }
  });
});
