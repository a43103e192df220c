// The Slack adapter: wires @slack/bolt to the conversation core. Over HTTP, Bolt's receiver checks
// X-Slack-Signature and refuses requests older than 5 minutes with a 401 before any listener runs;
// with an app token it uses Socket Mode instead. Slash commands come from the app manifest; commands
// and button presses are answered through their response_url (interactions.ts).
import { App, type RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../../src/config.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import type { WebhookMount } from '../../src/core/ports.ts';
import type { IncomingEvent } from '../../src/core/types.ts';
import { AppError } from '../../src/errors.ts';
import type { Notifier } from '../../src/notifier.ts';
import {
  actionEvent,
  commandEvent,
  deliveryIdOf,
  messageEvent,
  SLACK_PLATFORM,
  type SlackDownload,
  type SlackInbound,
  submissionEvent,
} from './inbound.ts';
import { createDmLookup, interactionOptions } from './interactions.ts';
import { boltLogger } from './logger.ts';
import { createMountedReceiver } from './receiver.ts';
import { createSlackSink } from './sink.ts';

const HasResponseUrl = z.object({ response_url: z.string() });

export type SlackDeps = {
  config: NonNullable<Config['platforms']['slack']>;
  conversation: Conversation;
  notifier: Notifier;
  logger: Logger;
  /** The app's one HTTP server; with a route for Slack there, HTTP mode is served on it. */
  webhooks?: WebhookMount;
};

export type SlackAdapter = { platform: 'slack'; start(): Promise<void>; stop(): Promise<void> };

export function createSlackAdapter(deps: SlackDeps): SlackAdapter {
  const { config } = deps;
  const log = deps.logger.child({ platform: SLACK_PLATFORM });
  const logger = boltLogger(log);
  // Bounded retries (429s are still waited out): during an outage the notifier's outbox should take
  // over within minutes, not after the client's default half hour of retries.
  const clientOptions = {
    slackApiUrl: config.apiUrl,
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };
  let app: App | undefined;

  /**
   * Files shared with the bot: url_private needs the bot token. The token only goes to Slack's file
   * host (or the API's own host, where a test peer serves both); redirects are not followed, since
   * Slack answers a bad token with a redirect to its sign-in page.
   */
  const download: SlackDownload = async (url) => {
    const target = new URL(url);
    const allowed = ['https://files.slack.com', new URL(config.apiUrl).origin];
    if (!allowed.includes(target.origin)) {
      throw new AppError('BAD_INPUT', 'That file is not on Slack, so I did not download it.', {
        detail: `refused file url ${target.origin}`,
      });
    }
    const res = await fetch(target, {
      headers: { authorization: `Bearer ${config.botToken}` },
      redirect: 'manual',
    });
    if (res.status !== 200) {
      throw new AppError('BAD_INPUT', 'I could not download that file from Slack. Try sharing it again.', {
        detail: `GET ${target.pathname}: HTTP ${res.status}`,
      });
    }
    return new Uint8Array(await res.arrayBuffer());
  };

  /** Checks the token before anything else, so a bad one fails start with a sentence, not a stack. */
  async function whoAmI(): Promise<{ botUserId: string; botId: string }> {
    // Few retries here: an unreachable Slack should fail start now, not after five minutes.
    const client = new webApi.WebClient(config.botToken, {
      ...clientOptions,
      retryConfig: { retries: 2 },
      logger,
    });
    const auth = await client.auth.test().catch((err: unknown) => {
      throw new AppError('CONFIG', 'Slack refused SLACK_BOT_TOKEN (auth.test failed).', { cause: err });
    });
    if (!auth.user_id || !auth.bot_id) throw new AppError('CONFIG', 'SLACK_BOT_TOKEN is not a bot token.');
    return { botUserId: auth.user_id, botId: auth.bot_id };
  }

  function listen(bolt: App, botUserId: string): void {
    const dmOf = createDmLookup(bolt.client, log);
    // Messages and modal submissions carry no trigger id and no response_url: nothing can open a
    // modal in answer to them, and their answers go through the notifier.
    const run = async (body: unknown, inbound: SlackInbound | IncomingEvent | null, respond?: RespondFn) => {
      if (!inbound) return;
      const { event: read, triggerId } =
        'triggerId' in inbound ? inbound : { event: inbound, triggerId: undefined };
      const deliveryId = deliveryIdOf(body);
      const event = deliveryId ? { ...read, deliveryId } : read;
      const opts = interactionOptions(
        { client: bolt.client, notifier: deps.notifier, logger: log, dmOf },
        event,
        { triggerId, respond },
      );
      await dispatch(deps, event, opts).catch((err: unknown) =>
        log.error({ err, kind: event.kind }, 'slack event failed'),
      );
    };
    // Every handler acks first: Slack shows an error when an interaction isn't acked within 3 s. Any
    // slash command is taken: the manifest decides which exist, the core answers unknown ones.
    bolt.command(/^\/[\w-]+$/, async ({ ack, body, respond }) => {
      await ack();
      await run(body, commandEvent(body), respond);
    });
    bolt.event(/^(app_mention|message)$/, async ({ event, body }) => {
      await run(body, messageEvent(event, botUserId, download));
    });
    bolt.action({ type: 'block_actions' }, async ({ ack, body, respond }) => {
      await ack();
      // Bolt types respond as always there; a press outside a message (App Home) has no response_url.
      await run(body, actionEvent(body), HasResponseUrl.safeParse(body).success ? respond : undefined);
    });
    bolt.view({ type: 'view_submission' }, async ({ ack, body }) => {
      await ack(); // closes the modal; the answer arrives in the conversation it came from
      await run(body, submissionEvent(body));
    });
    bolt.error(async (err) => {
      log.error({ err }, 'slack listener failed');
    });
  }

  return {
    platform: SLACK_PLATFORM,
    async start() {
      const { botUserId, botId } = await whoAmI();
      const common = {
        token: config.botToken,
        botUserId,
        botId,
        logger,
        clientOptions: { ...clientOptions },
      };
      let bolt: App;
      const onAppServer = !config.appToken && deps.webhooks?.pathOf(SLACK_PLATFORM) !== undefined;
      if (config.appToken) {
        bolt = new App({ ...common, socketMode: true, appToken: config.appToken });
      } else {
        if (!config.signingSecret) throw new AppError('CONFIG', 'SLACK_SIGNING_SECRET is not set.');
        bolt =
          onAppServer && deps.webhooks
            ? new App({
                ...common,
                receiver: createMountedReceiver({
                  signingSecret: config.signingSecret,
                  webhooks: deps.webhooks,
                  logger: log,
                }),
              })
            : new App({ ...common, signingSecret: config.signingSecret });
      }
      listen(bolt, botUserId);
      deps.notifier.register(SLACK_PLATFORM, createSlackSink(bolt.client));
      if (config.appToken || onAppServer) await bolt.start();
      else await bolt.start({ port: config.port, host: config.host });
      app = bolt;
      const mode = config.appToken ? 'socket' : onAppServer ? 'app http server' : 'http';
      log.info({ mode, port: onAppServer ? undefined : config.port }, 'slack adapter started');
    },
    async stop() {
      const running = app;
      app = undefined;
      await running?.stop();
    },
  };
}
