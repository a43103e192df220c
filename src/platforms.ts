// Starts the chat platforms whose credentials are configured. Each adapter registers its sink on the
// notifier and sends everything through the core's dispatch; this file only decides which ones run.
import type { Logger } from 'pino';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { createSlackAdapter } from '../adapters/slack/index.ts';
import { createTelegramAdapter } from '../adapters/telegram/index.ts';
import type { App } from './app.ts';
import type { Config } from './config.ts';

type Running = { platform: string; stop(): Promise<void> };

export async function startPlatforms(config: Config, app: App, logger: Logger): Promise<Running[]> {
  const deps = { conversation: app.conversation, notifier: app.notifier, logger };
  const adapters = [
    config.platforms.telegram && createTelegramAdapter({ ...deps, config: config.platforms.telegram }),
    config.platforms.discord && createDiscordAdapter({ ...deps, config: config.platforms.discord }),
    config.platforms.slack && createSlackAdapter({ ...deps, config: config.platforms.slack }),
  ].filter((a) => a !== undefined);
  const running: Running[] = [];
  for (const adapter of adapters) {
    await adapter.start();
    logger.info({ platform: adapter.platform }, 'platform started');
    running.push(adapter);
  }
  return running;
}
