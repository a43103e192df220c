// Wires grammY: updates arrive by long polling or, with a webhook configured, on an HTTP server that
// refuses requests without the secret token; each becomes an IncomingEvent for dispatch. Replies and
// job results go out through the sink registered on the notifier.
import { createServer, type Server } from 'node:http';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, webhookCallback } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.ts';
import { COMMANDS } from '../../src/core/commands.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import type { Notifier } from '../../src/notifier.ts';
import { TELEGRAM_PLATFORM, updateToEvent } from './inbound.ts';
import { createTelegramSink } from './sink.ts';

export type TelegramAdapter = { platform: 'telegram'; start(): Promise<void>; stop(): Promise<void> };

const UPDATES: ('message' | 'callback_query')[] = ['message', 'callback_query'];
// Answer Telegram within its webhook timeout; a slow reply carries on and is sent when ready.
const WEBHOOK_ANSWER_MS = 8_000;

export function createTelegramAdapter(deps: {
  config: NonNullable<Config['platforms']['telegram']>;
  conversation: Conversation;
  notifier: Notifier;
  logger: Logger;
}): TelegramAdapter {
  const { config, conversation, notifier } = deps;
  const log = deps.logger.child({ platform: TELEGRAM_PLATFORM });
  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
  // Waits out 429s (retry_after up to a minute) and 5xx a few times; a longer outage fails the send
  // so the notifier keeps the message in its outbox instead of this call hanging.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true }));

  bot.use(async (ctx) => {
    if (ctx.callbackQuery) {
      // Stops the button's spinner; a failure here must not lose the press itself.
      await ctx
        .answerCallbackQuery()
        .catch((err: unknown) => log.warn({ err }, 'answerCallbackQuery failed'));
    }
    const event = updateToEvent(ctx.update, { id: ctx.me.id, username: ctx.me.username });
    if (event) await dispatch({ conversation, notifier }, event);
  });
  bot.catch((err) =>
    log.error({ err: err.error, updateId: err.ctx.update.update_id }, 'telegram update failed'),
  );

  let server: Server | undefined;
  let polling: Promise<void> | undefined;

  async function listen(webhook: NonNullable<typeof config.webhook>): Promise<void> {
    const handle = webhookCallback(bot, 'http', {
      secretToken: webhook.secret,
      onTimeout: 'return',
      timeoutMilliseconds: WEBHOOK_ANSWER_MS,
    });
    const srv = createServer((req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      handle(req, res).catch((err: unknown) => {
        log.error({ err }, 'telegram webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server = srv;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(webhook.port, webhook.host, () => resolve());
    });
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: UPDATES });
    log.info({ port: webhook.port }, 'telegram webhook listening');
  }

  return {
    platform: 'telegram',
    async start() {
      notifier.register(TELEGRAM_PLATFORM, createTelegramSink(bot.api, log));
      await bot.init();
      await bot.api.setMyCommands(
        COMMANDS.filter((c) => /^[a-z0-9_]{1,32}$/.test(c.name)).map((c) => ({
          command: c.name,
          description: `${c.description}${c.args ? ` ${c.args}` : ''}`.slice(0, 256),
        })),
      );
      if (config.webhook) return listen(config.webhook);
      await new Promise<void>((resolve, reject) => {
        polling = bot.start({ allowed_updates: UPDATES, onStart: () => resolve() }).catch((err: unknown) => {
          log.error({ err }, 'telegram polling stopped');
          reject(err);
        });
      });
      log.info({ bot: bot.botInfo.username }, 'telegram polling');
    },
    async stop() {
      if (server) {
        const srv = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          srv.close(() => resolve());
          srv.closeAllConnections();
        });
      }
      if (bot.isRunning()) await bot.stop();
      await polling;
    },
  };
}
