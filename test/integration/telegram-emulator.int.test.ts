// The Telegram adapter against an independent Bot API emulator from npm (telegram-test-api), not our
// own peer: the basic flow from /help to a backtest's result card, with the real core, FerretDB and
// the engine. The emulator lacks sendPhoto and sendDocument; a thin stand-in in front of it answers
// those two (STAND_IN) and passes everything else through as it came. setMyCommands is left to the
// emulator, which answers it with an error without Telegram's fields: the bot must start anyway.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';

const TOKEN = '424242:emulator-token';
/** The methods the stand-in answers itself, because the emulator doesn't have them. */
const STAND_IN = new Set(['sendPhoto', 'sendDocument']);
const Keyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Answers STAND_IN methods (recording the file each carried); forwards the rest to the emulator. */
function startStandIn(emulator: string, answered: { method: string; filename: string }[]): Promise<Server> {
  let nextId = 900_000;
  const server = createServer((req, res) => {
    const method = /^\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
    body(req)
      .then(async (raw) => {
        if (STAND_IN.has(method)) {
          const filename = /filename="?([^"\r\n]+)"?\r\n/.exec(raw.toString('latin1'))?.[1] ?? '';
          answered.push({ method, filename });
          const result = {
            message_id: nextId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: 1, type: 'private' },
          };
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: true, result }));
          return;
        }
        const headers = { 'content-type': req.headers['content-type'] ?? 'application/json' };
        const passed = await fetch(`${emulator}${req.url}`, {
          method: req.method ?? 'POST',
          headers,
          body: raw,
        });
        res.writeHead(passed.status, { 'content-type': 'application/json' }).end(await passed.text());
      })
      .catch(() => res.destroy()); // the emulator stopped under a poll
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('telegram against telegram-test-api', () => {
  let t: TestApp;
  let emulator: TelegramServer;
  let standIn: Server;
  let adapter: TelegramAdapter;
  const answered: { method: string; filename: string }[] = [];
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
    await emulator.start();
    standIn = await startStandIn(emulator.config.apiURL, answered);
    const { port } = standIn.address() as AddressInfo;
    adapter = createTelegramAdapter({
      config: { token: TOKEN, apiRoot: `http://127.0.0.1:${port}`, webhook: undefined },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    standIn?.close();
    await emulator?.stop();
    await t?.stop();
  });

  const client = () => emulator.getClient(TOKEN, { userId: 7001, chatId: 7001, firstName: 'Emu' });
  const botTexts = () => emulator.storage.botMessages.map((m) => String(m.message.text));
  const said = (what: string, match: (text: string) => boolean) =>
    until(what, () => emulator.storage.botMessages.find((m) => match(String(m.message.text))), 60_000);

  it('starts although the emulator refuses setMyCommands, and answers /help', async () => {
    await until('the warning', () =>
      lines.find((l) => String(l.msg).startsWith('telegram command menu not registered')),
    );
    await client().sendCommand(client().makeCommand('/help'));
    await said('the help answer', (text) => text.includes('/backtest'));
  });

  it('creates a strategy, sends its code as a file from a button, and backtests it to a result card', async () => {
    const c = client();
    await c.sendMessage(c.makeMessage('create a BTC/USDT SMA 20/50 cross strategy on 1h with a 5% stop'));
    const created = await said('the strategy card', (text) => text.startsWith('Created '));
    const name = /^Created ([a-z0-9-]+)\./.exec(String(created.message.text))?.[1];
    expect(name).toBeTruthy();

    // Show code: a callback query on the card's button, answered with the code as a .py file.
    const { inline_keyboard } = Keyboard.parse(created.message.reply_markup);
    const data = inline_keyboard.flat().find((b) => b.text === 'Show code')?.callback_data;
    if (!data) throw new Error(`no Show code button: ${JSON.stringify(inline_keyboard)}`);
    const message = {
      message_id: created.messageId,
      chat: { id: 7001, type: 'private' as const, first_name: 'Emu' },
    };
    await c.sendCallback(c.makeCallbackQuery(data, { message }));
    await until('the code file', () => answered.find((a) => a.method === 'sendDocument'), 60_000);
    expect(answered.find((a) => a.method === 'sendDocument')?.filename).toMatch(/\.py$/);

    // A backtest: the progress message is posted, edited in place, and the result card is a photo.
    await c.sendCommand(c.makeCommand(`/backtest ${name} 20240101-20240301`));
    // The emulator keeps the text as last edited: "queued" may already read "running" or "done".
    await said('the progress message', (text) => text.startsWith('Backtest of '));
    await until('the result card', () => answered.find((a) => a.method === 'sendPhoto'), 240_000);
    expect(answered.find((a) => a.method === 'sendPhoto')?.filename).toMatch(/\.png$/);
    // One progress message, edited in the emulator from "queued" to "done".
    const progress = botTexts().filter((text) => text.startsWith('Backtest of '));
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatch(/: done\.$/);
    expect(await t.app.models.Outbox.countDocuments()).toBe(0);
  }, 300_000);
});
