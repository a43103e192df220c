// The Discord adapter end to end: discord.js against a Discord REST + gateway peer on loopback, the
// real core on FerretDB and the real engine. The shared contract first, then what is Discord's own:
// 429s waited out, 2,000-character splits, embed limits, modals, the 3-second acknowledgement, bad tokens.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.ts';
import { type AdapterHarness, runAdapterContract } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type DiscordPeer, startDiscordPeer } from '../support/peers/discord-peer.ts';
import { until } from '../support/wait.ts';

const TOKEN = 'peer-bot-token';
const logger = pino({ level: process.env.TEST_LOG ? 'debug' : 'silent' });

type DiscordHarness = AdapterHarness & { peer(): DiscordPeer };

function discordHarness(): DiscordHarness {
  let peer: DiscordPeer | undefined;
  let adapter: DiscordAdapter | undefined;
  const p = () => {
    if (!peer) throw new Error('the Discord harness is not started');
    return peer;
  };
  return {
    platform: 'discord',
    peer: p,
    async start(t) {
      peer = await startDiscordPeer({ token: TOKEN });
      adapter = createDiscordAdapter({
        config: { token: TOKEN, applicationId: peer.applicationId, apiUrl: peer.apiUrl },
        conversation: t.app.conversation,
        notifier: t.app.notifier,
        logger,
      });
      await adapter.start();
    },
    async stop() {
      await adapter?.stop();
      await peer?.close();
    },
    registeredCommands: () =>
      p()
        .commands()
        .map((c) => c.name),
    dm: (user, text) => p().message({ user, text }),
    channel: (user, text, { mention }) => p().message({ user, text, guild: true, mention }),
    fromBot: (text) => p().message({ user: 'otherbot', text, bot: true }),
    command: async (user, name, args) => {
      await p().command(user, name, args);
    },
    press: async (user, messageId, label) => {
      await p().press(user, messageId, label);
    },
    messages: () => p().messages(),
  };
}

describe('discord', () => {
  runAdapterContract(discordHarness);

  describe('Discord specifics', () => {
    let t: TestApp;
    const h = discordHarness();
    const peer = () => h.peer();
    const dmAddress = (user: string) => ({
      platform: 'discord',
      conversationId: peer().dmChannelId(user),
      userId: peer().userId(user),
    });
    beforeAll(async () => {
      t = await startTestApp();
      await h.start(t);
    });
    afterAll(async () => {
      await h.stop();
      await t?.stop();
    });

    it('acknowledges every interaction once, within 3 seconds, and leaves no "thinking…" behind', async () => {
      const before = h.messages().length;
      const id = await peer().command('ack', 'help', '');
      await until('the help reply', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.text.includes('/backtest')),
      );
      const rec = await until('the acknowledgement', () =>
        peer()
          .interactions()
          .find((i) => i.id === id && i.ack),
      );
      expect(rec.ack?.ms).toBeLessThan(3000);
      await until('the deferred reply to be removed', () => !rec.thinking);
    });

    it('waits out a 429 on message create, and the message arrives', async () => {
      const before = h.messages().length;
      peer().rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 1);
      const started = Date.now();
      await h.command('limited', 'help', '');
      await until('the help reply after the 429', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.text.includes('/backtest')),
      );
      const posts = peer()
        .requests()
        .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.at >= started);
      expect(posts.map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    });

    it('splits a reply over 2,000 characters into several messages', async () => {
      const before = h.messages().length;
      const lines = Array.from({ length: 90 }, (_, i) => `line ${i}: ${'x'.repeat(50)}`);
      const text = lines.join('\n');
      expect(await t.app.notifier.notify(dmAddress('long'), { text })).toBe(true);
      const sent = h.messages().slice(before);
      expect(sent.length).toBeGreaterThanOrEqual(3);
      for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(2000);
      expect(sent.map((m) => m.text).join('')).toBe(text);
    });

    it('cuts cards to the embed limits instead of losing the message', async () => {
      const before = h.messages().length;
      const card = {
        title: 'T'.repeat(300),
        description: 'D'.repeat(5000),
        fields: Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i}`, value: 'v'.repeat(2000) })),
        footer: 'F'.repeat(3000),
      };
      expect(await t.app.notifier.notify(dmAddress('embeds'), { text: 'A big card', card })).toBe(true);
      const [sent] = h.messages().slice(before);
      const embed = peer().raw(sent?.id ?? '')?.embeds[0];
      expect(embed?.title).toHaveLength(256);
      expect(embed?.title?.endsWith('…')).toBe(true);
      expect(embed?.fields?.length).toBeLessThanOrEqual(25);
      for (const f of embed?.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
      const total = [
        embed?.title,
        embed?.description,
        embed?.footer?.text,
        ...(embed?.fields ?? []).flatMap((f) => [f.name, f.value]),
      ];
      expect(total.reduce((n, s) => n + (s?.length ?? 0), 0)).toBeLessThanOrEqual(6000);
    });

    it('opens the Edit form as a modal, and its submit reaches the core as a form', async () => {
      const before = h.messages().length;
      await h.dm('editor', 'BTC SMA 20/50 cross on 1h with a 5% stop');
      const card = await until(
        'the strategy card',
        () =>
          h
            .messages()
            .slice(before)
            .find((m) => m.buttons.some((b) => b.label === 'Edit')),
        60_000,
      );
      const pressed = await peer().press('editor', card.id, 'Edit');
      const opened = await until('the modal', () =>
        peer()
          .interactions()
          .find((i) => i.id === pressed && i.ack),
      );
      expect(opened.ack?.type).toBe(9);
      expect(opened.modal?.components.map((c) => c.component.custom_id)).toContain('timeframe');
      const mark = h.messages().length;
      const submitted = await peer().submitModal('editor', { timeframe: '4h' });
      await until('the form event in the core', () =>
        t.logs.find((l) => l.event === 'incoming' && l.kind === 'form' && l.platform === 'discord'),
      );
      await until('the edited strategy', () =>
        h
          .messages()
          .slice(mark)
          .find((m) => m.text.includes('4h')),
      );
      const rec = peer()
        .interactions()
        .find((i) => i.id === submitted);
      expect(rec?.ack?.type).toBe(6);
    });

    it('refuses to start with a token Discord rejects, saying so', async () => {
      const other = await startDiscordPeer({ token: 'the-real-token' });
      const adapter = createDiscordAdapter({
        config: { token: 'a-wrong-token', applicationId: other.applicationId, apiUrl: other.apiUrl },
        conversation: t.app.conversation,
        notifier: t.app.notifier,
        logger,
      });
      try {
        await expect(adapter.start()).rejects.toThrow(/Discord rejected the bot token/);
        expect(other.requests().some((r) => r.path === '/gateway/bot' && r.status === 401)).toBe(true);
      } finally {
        await adapter.stop();
        await other.close();
      }
    });
  });
});
