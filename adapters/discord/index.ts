// Wires discord.js: the gateway client (REST and the gateway URL both come from config.apiUrl, so a
// local peer can stand in for Discord), slash commands registered from the core's list on start,
// interactions answered in place (interactions.ts), and the sink the notifier uses for channel
// messages, progress and results.
import {
  Client,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  Partials,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.ts';
import { COMMANDS } from '../../src/core/commands.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import { AppError } from '../../src/errors.ts';
import type { Notifier } from '../../src/notifier.ts';
import { DISCORD_PLATFORM, type DiscordDownload, messageEvent, withDeliveryId } from './inbound.ts';
import { handleInteraction } from './interactions.ts';
import { renderCommands } from './render.ts';
import { createDiscordSink } from './sink.ts';

export type DiscordAdapterDeps = {
  config: NonNullable<Config['platforms']['discord']>;
  conversation: Conversation;
  notifier: Notifier;
  logger: Logger;
};

const START_TIMEOUT_MS = 30_000;

export type DiscordAdapter = { platform: 'discord'; start(): Promise<void>; stop(): Promise<void> };

function startError(err: unknown, apiUrl: string): AppError {
  if (err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid) {
    return new AppError('CONFIG', 'Discord rejected the bot token. Check DISCORD_TOKEN.', { cause: err });
  }
  const why = err instanceof Error ? err.message : String(err);
  return new AppError('PLATFORM_DOWN', `Could not start Discord at ${apiUrl}: ${why}`, { cause: err });
}

export function createDiscordAdapter(deps: DiscordAdapterDeps): DiscordAdapter {
  const logger = deps.logger.child({ platform: DISCORD_PLATFORM });
  const core = { conversation: deps.conversation, notifier: deps.notifier, logger };
  const client = new Client({
    // No privileged MessageContent intent: Discord delivers the content of DMs and of messages that
    // mention the bot without it, and those are the only messages the bot reads.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    // DM channels arrive uncached; without this partial their messages would be dropped.
    partials: [Partials.Channel],
    rest: { api: deps.config.apiUrl },
  });

  // Attachments live on Discord's CDN behind signed URLs (no token needed); only those hosts, or the
  // API's own host where a test peer serves both, are fetched.
  const cdnHosts = [
    'https://cdn.discordapp.com',
    'https://media.discordapp.net',
    new URL(deps.config.apiUrl).origin,
  ];
  const download: DiscordDownload = async (url) => {
    const target = new URL(url);
    if (!cdnHosts.includes(target.origin)) {
      throw new AppError('BAD_INPUT', 'That file is not on Discord, so I did not download it.', {
        detail: `refused attachment url ${target.origin}`,
      });
    }
    const res = await fetch(target);
    if (!res.ok) {
      throw new AppError('BAD_INPUT', 'I could not download that file from Discord. Try sending it again.', {
        detail: `GET ${target.pathname}: HTTP ${res.status}`,
      });
    }
    return new Uint8Array(await res.arrayBuffer());
  };

  client.on(Events.MessageCreate, (message) => {
    const botId = client.user?.id;
    const event = botId ? withDeliveryId(messageEvent(message, botId, download), message.id) : null;
    if (!event) return;
    dispatch(core, event).catch((err: unknown) => logger.error({ err }, 'Discord message not handled'));
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(core, interaction).catch((err: unknown) =>
      logger.error({ err, interaction: interaction.id }, 'Discord interaction not handled'),
    );
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));

  /**
   * Slash commands are registered after start, and a failure only warns: people already in a chat
   * with the bot, and commands Discord still has from the last registration, keep working meanwhile.
   */
  function registerCommands(applicationId: string | undefined): void {
    if (!applicationId) {
      logger.warn('no application id (set DISCORD_APPLICATION_ID); slash commands not registered');
      return;
    }
    client.rest.put(Routes.applicationCommands(applicationId), { body: renderCommands(COMMANDS) }).then(
      () => logger.info({ commands: COMMANDS.length }, 'Discord commands registered'),
      (err: unknown) => logger.warn({ err }, 'Discord slash commands not registered'),
    );
  }

  return {
    platform: DISCORD_PLATFORM,
    async start() {
      // Registered before login: with no guilds to wait for, discord.js is ready before login resolves.
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000}s`)),
          START_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([client.login(deps.config.token).then(() => ready), timeout]);
        deps.notifier.register(DISCORD_PLATFORM, createDiscordSink(client));
      } catch (err) {
        await client.destroy();
        throw startError(err, deps.config.apiUrl);
      } finally {
        clearTimeout(timer);
      }
      logger.info({ user: client.user?.tag }, 'Discord adapter started');
      // Only the token and the gateway are needed to serve chats; the commands follow in the background.
      registerCommands(deps.config.applicationId ?? client.application?.id);
    },
    async stop() {
      await client.destroy();
    },
  };
}
