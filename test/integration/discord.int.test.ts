// The Discord adapter end to end: discord.js against a Discord REST + gateway peer on loopback, the
// real core on FerretDB and the real engine. The shared contract first, then what is Discord's own:
// answers in the interaction (ephemeral in a server), jobs in the channel, the 3-second acknowledgement,
// expired tokens, refusals that are final, deleted progress messages, intents, 429s, limits, modals.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/index.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { runAdapterContract } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { discordHarness, TOKEN } from '../support/peers/discord/harness.ts';
import { INTENTS, startDiscordPeer } from '../support/peers/discord/index.ts';
import { until } from '../support/wait.ts';

const logger = pino({ level: process.env.TEST_LOG ? 'debug' : 'silent' });
const PRIVILEGED = INTENTS.GuildMembers | INTENTS.GuildPresences | INTENTS.MessageContent;

describe('discord', () => {
  runAdapterContract(discordHarness);

  describe('Discord specifics', () => {
    let t: TestApp;
    const h = discordHarness();
    const peer = () => h.peer();
    const address = (user: string, conversationId = peer().dmChannelId(user)) => ({
      platform: 'discord',
      conversationId,
      userId: peer().userId(user),
    });
    /** The first message sent after `from` that `match` accepts, with the peer's record of it. */
    const next = async (from: number, what: string, match: (text: string) => boolean, ms?: number) => {
      const m = await until(
        what,
        () =>
          h
            .messages()
            .slice(from)
            .find((x) => match(x.text)),
        ms,
      );
      const raw = peer().raw(m.id);
      if (!raw) throw new Error(`no record of ${m.id}`);
      return { ...m, raw };
    };
    /** The bot's message posts to a channel since `since`, as the peer answered them. */
    const posts = (since: number, channelId: string) =>
      peer()
        .requests()
        .filter((r) => r.method === 'POST' && r.at >= since && r.path === `/channels/${channelId}/messages`);
    beforeAll(async () => {
      t = await startTestApp();
      await h.start(t);
    });
    afterAll(async () => {
      await h.stop();
      await t?.stop();
    });

    it('answers a slash command in its own reply, acknowledged once within 3 seconds', async () => {
      const [before, started] = [h.messages().length, Date.now()];
      const id = await peer().command('ack', 'help', '');
      const reply = await next(before, 'the help reply', (x) => x.includes('/backtest'));
      expect(reply.raw).toMatchObject({ via: 'reply', interactionId: id, ephemeral: false });
      const rec = peer()
        .interactions()
        .find((i) => i.id === id);
      expect(rec?.ack?.type).toBe(5);
      expect(rec?.ack?.ms).toBeLessThan(3000);
      expect(rec?.thinking).toBe(false);
      expect(posts(started, peer().dmChannelId('ack'))).toEqual([]);
    });

    it('answers privately in a server: the reply and the follow-ups of its buttons are ephemeral', async () => {
      const before = h.messages().length;
      const id = await peer().command('guildy', 'help', '', { guild: true });
      const reply = await next(before, 'the help reply', (x) => x.includes('/backtest'));
      expect(reply.raw).toMatchObject({ via: 'reply', interactionId: id, ephemeral: true });
      expect(reply.chatId).toBe(peer().textChannelId);
      const label = reply.buttons[0]?.label ?? '';
      const pressed = await peer().press('guildy', reply.id, label);
      const created = await next(before, 'the created strategy', (x) => x.includes('Created'), 60_000);
      expect(created.raw).toMatchObject({ via: 'followup', interactionId: pressed, ephemeral: true });
    });

    it('answers a button with a follow-up; the backtest it starts reports in the channel', async () => {
      const start = h.messages().length;
      await h.dm('runner', 'BTC SMA 20/50 cross on 1h with a 5% stop');
      const card = await next(start, 'the strategy card', (x) => x.includes('Created'), 60_000);
      const pressed = await peer().press('runner', card.id, 'Backtest');
      const ask = await next(start, 'the presets', (x) => x.includes('over which period'));
      expect(ask.raw).toMatchObject({ via: 'followup', interactionId: pressed });
      expect(peer().raw(card.id)?.edits).toBe(0);
      const mark = h.messages().length;
      await peer().press('runner', ask.id, '1 month');
      const progress = await next(mark, 'the progress message', (x) => x.includes('Backtest of'));
      const result = await next(mark, 'the result card', (x) => x.includes('Trades'), 120_000);
      expect(progress.raw.via).toBe('channel');
      expect(result.raw.via).toBe('channel');
      expect(result.images[0]?.bytes).toBeGreaterThan(1000);
    });

    it('sends files in interaction replies: /compare draws its chart into the reply', async () => {
      const before = h.messages().length;
      const name = 'btc-sma-20-50-1h';
      await peer().command('runner', 'compare', `${name} ${name}`, { guild: true });
      const reply = await next(before, 'the comparison', (x) => x.includes(name));
      expect(reply.raw).toMatchObject({ via: 'reply', ephemeral: true });
      expect(reply.images[0]?.bytes).toBeGreaterThan(1000);
    });

    it('posts to the channel once the interaction token has expired', async () => {
      const [before, started] = [h.messages().length, Date.now()];
      peer().setTokenLifetime(0);
      try {
        await peer().command('late', 'help', '');
        const reply = await next(before, 'the help reply', (x) => x.includes('/backtest'));
        expect(reply.raw.via).toBe('channel');
        const refused = peer()
          .requests()
          .filter((r) => r.at >= started && r.path.endsWith('/messages/@original'));
        expect(refused.map((r) => r.status)).toContain(404);
      } finally {
        peer().setTokenLifetime(15 * 60_000);
      }
    });

    it('drops a result Discord refuses for good (50013, 50007, 10003): one attempt, nothing left in the outbox', async () => {
      const started = Date.now();
      const channelId = peer().readOnlyChannelId;
      const image = { filename: 'equity.png', contentType: 'image/png' as const, data: new Uint8Array(2000) };
      const result: OutgoingMessage = { text: 'done', card: { title: 'Result', fields: [], image } };
      expect(await t.app.notifier.notify(address('mod', channelId), result)).toBe(false);
      peer().blockBot('blocker');
      expect(await t.app.notifier.notify(address('blocker'), result)).toBe(false);
      expect(await t.app.notifier.notify(address('mod', '1234567890'), result)).toBe(false);
      expect(await t.app.notifier.drainOutbox()).toBe(0);
      expect(await t.app.models.Outbox.countDocuments({ platform: 'discord' })).toBe(0);
      expect(posts(started, channelId).map((r) => r.status)).toEqual([403]);
      expect(posts(started, peer().dmChannelId('blocker')).map((r) => r.status)).toEqual([403]);
    });

    it('posts the next progress state anew when the progress message was deleted', async () => {
      const [before, started] = [h.messages().length, Date.now()];
      const to = address('deleter');
      const state = (s: 'queued' | 'running') => ({
        text: `job ${s}`,
        progress: { key: 'gone-1', state: s },
      });
      expect(await t.app.notifier.notify(to, state('queued'))).toBe(true);
      const queued = await next(before, 'queued', (x) => x === 'job queued');
      peer().deleteMessage(queued.id);
      expect(await t.app.notifier.notify(to, state('running'))).toBe(true);
      const running = await next(before, 'running', (x) => x === 'job running');
      expect(running.id).not.toBe(queued.id);
      const edits = peer()
        .requests()
        .filter((r) => r.method === 'PATCH' && r.at >= started);
      expect(edits.map((r) => r.status)).toEqual([404]);
      expect(posts(started, to.conversationId).map((r) => r.status)).toEqual([200, 200]);
    });

    it('never asks for a privileged intent, which Discord (the peer) would refuse with 4014', async () => {
      expect(peer().identified().length).toBeGreaterThan(0);
      for (const intents of peer().identified()) expect(intents & PRIVILEGED).toBe(0);
      const client = new Client({
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
        rest: { api: peer().apiUrl },
      });
      try {
        const closed = new Promise<number>((resolve) =>
          client.once(Events.ShardDisconnect, (e) => resolve(e.code)),
        );
        client.login(TOKEN).catch(() => {});
        expect(await closed).toBe(4014);
      } finally {
        await client.destroy();
      }
    });

    it('hears server chatter without its content, as Discord sends it without MessageContent', async () => {
      const client = new Client({
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
        rest: { api: peer().apiUrl },
      });
      const heard: string[] = [];
      client.on(Events.MessageCreate, (m) => heard.push(m.content));
      try {
        await client.login(TOKEN);
        const before = h.messages().length;
        await peer().message({ user: 'chatty', text: 'anyone watching BTC?', guild: true });
        await peer().message({ user: 'chatty', text: 'help', guild: true, mention: true });
        await until('both server messages', () => heard.length >= 2);
        expect(heard).toEqual(['', expect.stringContaining('help')]);
        // The adapter (with its own session) answers the mention; wait so no later test sees it.
        await next(before, 'the answer to the mention', (x) => x.includes('/backtest'));
      } finally {
        await client.destroy();
      }
    });

    it('waits out a 429 on message create, and the message arrives', async () => {
      const before = h.messages().length;
      const started = Date.now();
      peer().rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 1);
      await h.dm('limited', 'help');
      await next(before, 'the help reply after the 429', (x) => x.includes('/backtest'));
      const tries = posts(started, peer().dmChannelId('limited'));
      expect(tries.map((r) => r.status)).toEqual([429, 200]);
      expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    });

    it('splits a reply over 2,000 characters into several messages', async () => {
      const before = h.messages().length;
      const text = Array.from({ length: 90 }, (_, i) => `line ${i}: ${'x'.repeat(50)}`).join('\n');
      expect(await t.app.notifier.notify(address('long'), { text })).toBe(true);
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
      expect(await t.app.notifier.notify(address('embeds'), { text: 'A big card', card })).toBe(true);
      const [sent] = h.messages().slice(before);
      const embed = peer().raw(sent?.id ?? '')?.embeds[0];
      expect(embed?.title).toHaveLength(256);
      expect(embed?.title?.endsWith('…')).toBe(true);
      expect(embed?.fields?.length).toBeLessThanOrEqual(25);
      for (const f of embed?.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
      const parts = [embed?.title, embed?.description, embed?.footer?.text];
      parts.push(...(embed?.fields ?? []).flatMap((f) => [f.name, f.value]));
      expect(parts.reduce((n, s) => n + (s?.length ?? 0), 0)).toBeLessThanOrEqual(6000);
    });

    it('opens the Edit form as a modal; its submit is acknowledged silently and answered in a follow-up', async () => {
      const mine = (m: { chatId: string }) => m.chatId === peer().dmChannelId('runner');
      const card = h.messages().find((m) => mine(m) && m.text.includes('Created btc-sma-20-50-1h'));
      if (!card) throw new Error('no strategy card');
      const pressed = await peer().press('runner', card.id, 'Edit');
      const opened = await until('the modal', () =>
        peer()
          .interactions()
          .find((i) => i.id === pressed && i.ack),
      );
      expect(opened.ack?.type).toBe(9);
      expect(opened.modal?.components.map((c) => c.component.custom_id)).toContain('timeframe');
      const mark = h.messages().length;
      const submitted = await peer().submitModal('runner', { timeframe: '4h' });
      const edited = await next(mark, 'the edited strategy', (x) => x.includes('4h'));
      expect(edited.raw).toMatchObject({ via: 'followup', interactionId: submitted });
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
