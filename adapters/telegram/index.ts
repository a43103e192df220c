// Wires grammY: updates arrive by long polling (grammY runner, so chats are served concurrently while
// each chat's updates keep their order) or, with a webhook configured, on an HTTP server that refuses
// requests without the secret token; each becomes an IncomingEvent for dispatch. Replies and job
// results go out through the sink registered on the notifier.
import { createServer, type Server } from 'node:http';
import { autoRetry } from '@grammyjs/auto-retry';
import { type RunnerHandle, run, sequentialize } from '@grammyjs/runner';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.ts';
import { COMMANDS } from '../../src/core/commands.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import type { WebhookMount } from '../../src/core/ports.ts';
import { clip } from '../../src/core/text.ts';
import { AppError } from '../../src/errors.ts';
import type { Notifier } from '../../src/notifier.ts';
import { createTelegramDownload } from './download.ts';
import { TELEGRAM_PLATFORM, updateToEvent } from './inbound.ts';
import { createTelegramSink } from './sink.ts';

export type TelegramAdapter = {
  platform: 'telegram';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Polled updates still being handled (0 over a webhook, where each request waits for its update). */
  pending(): number;
};

const UPDATES: ('message' | 'callback_query')[] = ['message', 'callback_query'];
/** Tries at registering the command menu; the n-th retry waits n times this long. */
const MENU_ATTEMPTS = 4;
const MENU_RETRY_MS = 30_000;

export function createTelegramAdapter(deps: {
  config: NonNullable<Config['platforms']['telegram']>;
  conversation: Conversation;
  notifier: Notifier;
  logger: Logger;
  /** The app's one HTTP server; with a route for Telegram there, the webhook is served on it. */
  webhooks?: WebhookMount;
}): TelegramAdapter {
  const { config, conversation, notifier } = deps;
  const log = deps.logger.child({ platform: TELEGRAM_PLATFORM });
  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
  // Waits out 429s (retry_after up to a minute) and 5xx a few times; a longer outage fails the send
  // so the notifier keeps the message in its outbox instead of this call hanging. The command menu
  // is retried by registerCommands itself, at its own pace.
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true });
  bot.api.config.use((prev, method, payload, signal) =>
    method === 'setMyCommands' ? prev(method, payload, signal) : retry(prev, method, payload, signal),
  );

  // The runner retries failed polls quietly; the log still shows each one.
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    const res = await prev(method, payload, signal).catch((err: unknown) => {
      if (!signal?.aborted) log.warn({ err }, 'telegram polling failed');
      throw err;
    });
    if (!res.ok) log.warn({ error: res.description }, 'telegram polling failed');
    return res;
  });

  // Stops a button's spinner at once, even while the chat's earlier updates still run; a failure
  // here must not lose the press itself.
  bot.on('callback_query', async (ctx, next) => {
    await ctx.answerCallbackQuery().catch((err: unknown) => log.warn({ err }, 'answerCallbackQuery failed'));
    await next();
  });
  // A chat's updates run one after another (a form's answers stay in order); chats don't wait.
  bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  const download = createTelegramDownload({ api: bot.api, apiRoot: config.apiRoot, token: config.token });
  bot.use(async (ctx) => {
    const me = { id: ctx.me.id, username: ctx.me.username };
    const event = updateToEvent(ctx.update, me, new Date(), download);
    if (event) await dispatch({ conversation, notifier }, event);
  });
  bot.catch((err) =>
    log.error({ err: err.error, updateId: err.ctx.update.update_id }, 'telegram update failed'),
  );

  let server: Server | undefined;
  let runner: RunnerHandle | undefined;
  let mounted: WebhookMount | undefined;
  let menuRetry: NodeJS.Timeout | undefined;
  let stopped = false;

  /**
   * The command menu is a convenience, not the bot: commands work without it. It is registered in
   * the background, a few times at growing intervals, and a failure only warns.
   */
  function registerCommands(attempt = 1): void {
    const commands = COMMANDS.filter((c) => /^[a-z0-9_]{1,32}$/.test(c.name)).map((c) => ({
      command: c.name,
      description: clip(`${c.description}${c.args ? ` ${c.args}` : ''}`, 256),
    }));
    bot.api.setMyCommands(commands).then(
      () => log.info({ commands: commands.length }, 'telegram commands registered'),
      (err: unknown) => {
        const again = attempt < MENU_ATTEMPTS;
        log.warn({ err, attempt }, `telegram command menu not registered${again ? '; retrying' : ''}`);
        if (again && !stopped)
          menuRetry = setTimeout(() => registerCommands(attempt + 1), MENU_RETRY_MS * attempt);
      },
    );
  }

  /** The webhook on the app's HTTP server: grammY's Fetch-API adapter, fed the request as it came. */
  async function mountWebhook(
    webhooks: WebhookMount,
    path: string,
    webhook: NonNullable<typeof config.webhook>,
  ): Promise<void> {
    const handle = webhookCallback(bot, 'std/http', {
      secretToken: webhook.secret,
      onTimeout: 'return',
      timeoutMilliseconds: 8_000,
    });
    webhooks.mount(TELEGRAM_PLATFORM, async (req) => {
      const res = await handle(
        new Request(`http://localhost${path}`, { method: 'POST', headers: req.headers, body: req.body }),
      );
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    });
    mounted = webhooks;
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: UPDATES });
    log.info({ path }, 'telegram webhook on the app server');
  }

  async function listen(webhook: NonNullable<typeof config.webhook>): Promise<void> {
    const path = deps.webhooks?.pathOf(TELEGRAM_PLATFORM);
    if (deps.webhooks && path) return mountWebhook(deps.webhooks, path, webhook);
    const handle = webhookCallback(bot, 'http', {
      secretToken: webhook.secret,
      onTimeout: 'return',
      timeoutMilliseconds: 8_000, // within Telegram's timeout; a slow reply is still sent when ready
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
      // grammY retries getMe until Telegram answers, so a start while Telegram is down waits here.
      await bot.init().catch((err: unknown) => {
        if (err instanceof GrammyError && err.error_code === 401)
          throw new AppError('CONFIG', 'Telegram rejected TELEGRAM_BOT_TOKEN.', { cause: err });
        throw err;
      });
      notifier.register(TELEGRAM_PLATFORM, createTelegramSink(bot.api, log));
      // Only the token (above) and the update transport (below) are needed to serve chats.
      registerCommands();
      if (config.webhook) return listen(config.webhook);
      // getUpdates refuses to run while a webhook is set (bot.start() did this; the runner doesn't).
      await bot.api.deleteWebhook();
      // After an outage polling resumes within seconds: the pause between failed polls grows by
      // 100 ms each time ("quadratic"), not doubling.
      runner = run(bot, {
        runner: { fetch: { allowed_updates: UPDATES }, retryInterval: 'quadratic', silent: true },
      });
      runner.task()?.catch((err: unknown) => log.error({ err }, 'telegram polling stopped'));
      log.info({ bot: bot.botInfo.username }, 'telegram polling');
    },
    pending: () => runner?.size() ?? 0,
    async stop() {
      stopped = true;
      clearTimeout(menuRetry);
      mounted?.unmount(TELEGRAM_PLATFORM);
      mounted = undefined;
      const [srv, handle] = [server, runner];
      [server, runner] = [undefined, undefined];
      if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()).closeAllConnections());
      if (handle?.isRunning()) await handle.stop();
    },
  };
}
