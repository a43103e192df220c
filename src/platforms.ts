// Starts the chat platforms whose credentials are configured. Each adapter registers its sink on the
// notifier and sends everything through the core's dispatch; this file only decides which ones run.
// One platform failing to start doesn't take the others down: it is logged, and retried in the
// background unless the platform refused our credentials (that needs the operator, not time). A
// start that hangs (grammY retries getMe until Telegram answers) stops holding up the rest after a
// while and carries on in the background.
import type { Logger } from 'pino';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { createSlackAdapter } from '../adapters/slack/index.ts';
import { createTelegramAdapter } from '../adapters/telegram/index.ts';
import type { App } from './app.ts';
import type { Config } from './config.ts';
import { isAppError } from './errors.ts';

type Adapter = { platform: string; start(): Promise<void>; stop(): Promise<void> };

const RETRY_MS = [5_000, 15_000, 60_000, 300_000];
const START_WAIT_MS = 20_000;

/**
 * Starts every configured platform; resolves once each has started, failed its first attempt, or
 * taken longer than `startWaitMs` (it then keeps starting in the background).
 */
export async function startPlatforms(
  config: Config,
  app: App,
  logger: Logger,
  opts: { startWaitMs?: number } = {},
): Promise<{ platform: string; stop(): Promise<void> }[]> {
  const deps = {
    conversation: app.conversation,
    notifier: app.notifier,
    logger,
    ...(app.webhooks ? { webhooks: app.webhooks } : {}),
  };
  const adapters: Adapter[] = [
    config.platforms.telegram && createTelegramAdapter({ ...deps, config: config.platforms.telegram }),
    config.platforms.discord && createDiscordAdapter({ ...deps, config: config.platforms.discord }),
    config.platforms.slack && createSlackAdapter({ ...deps, config: config.platforms.slack }),
  ].filter((a) => a !== undefined);
  const waitMs = opts.startWaitMs ?? START_WAIT_MS;
  return Promise.all(adapters.map((adapter) => supervise(adapter, logger, waitMs)));
}

async function supervise(
  adapter: Adapter,
  logger: Logger,
  waitMs: number,
): Promise<{ platform: string; stop(): Promise<void> }> {
  let stopped = false;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (n: number): Promise<void> => {
    try {
      await adapter.start();
      started = true;
      logger.info({ platform: adapter.platform, attempt: n + 1 }, 'platform started');
    } catch (err) {
      if (stopped) return;
      const refused = isAppError(err) && err.code === 'CONFIG';
      const retryMs = RETRY_MS[Math.min(n, RETRY_MS.length - 1)] ?? 300_000;
      logger.error(
        { err, platform: adapter.platform, retryInMs: refused ? null : retryMs },
        refused ? 'platform refused to start; fix its configuration' : 'platform failed to start; retrying',
      );
      if (refused || stopped) return;
      timer = setTimeout(() => void attempt(n + 1), retryMs);
      timer.unref();
    }
  };
  let waited: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    waited = setTimeout(() => resolve('slow'), waitMs);
  });
  if ((await Promise.race([attempt(0), slow])) === 'slow') {
    logger.warn({ platform: adapter.platform, waitedMs: waitMs }, 'platform not started yet; still trying');
  }
  clearTimeout(waited);
  return {
    platform: adapter.platform,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (started) await adapter.stop();
    },
  };
}
