// The composition root: builds every service from config and a MongoDB URI and wires them together.
// main.ts adds the process around it (embedded FerretDB, signals, adapters); tests build it directly.

import path from 'node:path';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { CONSOLE_PLATFORM } from '../adapters/console/index.ts';
import { createAgent } from '../agents/agent.ts';
import { LatestOnlyMongoSaver } from '../agents/checkpointer.ts';
import { createSpecDrafter } from '../agents/drafter.ts';
import { createChatModel } from '../agents/model.ts';
import { createSpecCheck } from '../agents/repair-check.ts';
import { renderCompareChart, renderEquityChart, renderEquitySeries } from '../freqtrade/chart.ts';
import { renderStrategy } from '../freqtrade/render.ts';
import { renderRobustnessChart } from '../freqtrade/robust-chart.ts';
import { dispatchByKind } from '../jobs/dispatch.ts';
import { createQueuePositions } from '../jobs/queue-positions.ts';
import { cachingRunner, resultLookup } from '../jobs/result-cache.ts';
import { createRunBacktestJob } from '../jobs/run-backtest.ts';
import { createRunOptimiseJob } from '../jobs/run-optimise.ts';
import { createRunRobustnessJob } from '../jobs/run-robustness.ts';
import { createScheduler } from '../jobs/scheduler.ts';
import type { EquitySeries } from './backtest/equity.ts';
import type { Config } from './config.ts';
import { type Conversation, createConversation } from './core/conversation.ts';
import { createFormSessions } from './core/form-session.ts';
import { createAgentActions } from './core/handlers/agent-actions.ts';
import { createPendingImports } from './core/handlers/import-pending.ts';
import { identityThreads } from './core/handlers/route.ts';
import type { SandboxStatus, WebhookMount } from './core/ports.ts';
import { createEngine, type EngineTestHooks, need } from './engine.ts';
import { AppError } from './errors.ts';
import { createSessionVerifier } from './http/clerk-session.ts';
import { registerClerkWebhook } from './http/clerk-webhook.ts';
import { registerLinkRoutes } from './http/link-routes.ts';
import { registerPlatformWebhooks } from './http/platform-webhooks.ts';
import { createHttpServer } from './http/server.ts';
import { createNotifier, type Notifier } from './notifier.ts';
import { createAccountFiles } from './services/account-files.ts';
import { cancelLiveWith, createAccountSync } from './services/account-sync.ts';
import { createAccountService } from './services/accounts.ts';
import { createBacktestPayloads } from './services/backtest-payloads.ts';
import { createBacktestSlots } from './services/backtest-slots.ts';
import { type BacktestService, createBacktestService } from './services/backtests.ts';
import { createInboundDeliveries } from './services/inbound-deliveries.ts';
import { createLinkCodes } from './services/link-codes.ts';
import { createLinkNews } from './services/link-news.ts';
import { createMarketCatalog } from './services/market-catalog.ts';
import { createQuotaService } from './services/quotas.ts';
import { createRateLimiter } from './services/rate-limit.ts';
import { createResultCache } from './services/result-cache.ts';
import { createStrategyService, type StrategyService } from './services/strategies.ts';
import { createUserService } from './services/users.ts';
import { createModels, type Models, syncIndexes } from './storage/models.ts';
import { readOrCreateSecret } from './storage/secret-file.ts';
import type { StrategyValidator } from './strategy/verdict.ts';

export type App = {
  conversation: Conversation;
  notifier: Notifier;
  models: Models;
  strategies: StrategyService;
  backtests: BacktestService;
  /** The validation pipeline strategy code goes through (imports, and rendered code before saving). */
  validator: StrategyValidator;
  /** The local engine's OS sandbox (main.ts warns at start without one); absent with the Docker runner. */
  sandbox?: SandboxStatus;
  /** True while the database answers (the HTTP health check). */
  healthy(): Promise<boolean>;
  /** The port the HTTP server listens on, when it runs (HTTP_PORT=0 picks a free one). */
  httpPort?: number;
  /** The platforms' webhook routes on that server, for their adapters to mount. */
  webhooks?: WebhookMount;
  stop(): Promise<void>;
};

/** What tests may add to the app; nothing in config reaches it. */
export type AppTestHooks = EngineTestHooks & {
  /** The clock quotas and rate limits read, so a test can move to the next window. */
  now?: () => Date;
};

/** Where each platform that posts to us is served on the app's HTTP server (Telegram: its webhook URL's path). */
function platformWebhookPaths(config: Config): Record<string, string> {
  const paths: Record<string, string> = {};
  const telegram = config.platforms.telegram?.webhook;
  if (telegram) paths.telegram = new URL(telegram.url).pathname;
  const slack = config.platforms.slack;
  // Slack's request URLs for events, commands and interactivity (the manifest's) all point here.
  if (slack && !slack.appToken && slack.signingSecret) paths.slack = '/slack/events';
  return paths;
}

export async function createApp(
  config: Config,
  deps: { logger: Logger; mongoUri: string; test?: AppTestHooks },
): Promise<App> {
  const { logger } = deps;
  const conn = await mongoose
    .createConnection(deps.mongoUri, { dbName: config.mongo.dbName, serverSelectionTimeoutMS: 10_000 })
    .asPromise()
    .catch((err: unknown) => {
      throw new AppError(
        'STORAGE',
        'Cannot reach MongoDB. Check MONGODB_URI, or unset it to use the embedded database.',
        {
          cause: err,
          detail: `cannot connect to ${deps.mongoUri.replace(/\/\/[^@/]*@/, '//***@')}: ${err instanceof Error ? err.message : String(err)}`,
        },
      );
    });
  const models = createModels(conn);
  await syncIndexes(models);
  // Records from before the split give their heavy fields to payloads, in the background (reads fall
  // back to the inline fields meanwhile); in the bot's process only, so workers don't repeat it.
  const moving = new AbortController();
  const moved =
    config.role === 'worker'
      ? Promise.resolve()
      : createBacktestPayloads(models)
          .moveInline(moving.signal)
          .then(
            (count) => {
              if (count > 0)
                logger.info({ event: 'backtest_payloads_moved', count }, 'backtest_payloads_moved');
            },
            (err: unknown) =>
              logger.warn({ err }, 'backtest payloads not moved; records keep their inline fields'),
          );
  const db = conn.getClient().db(config.mongo.dbName);

  const notifier = createNotifier({ logger, models });
  const catalog = createMarketCatalog({
    marketsPath: need(config.freqtrade.marketsPath, 'MARKETS_SNAPSHOT'),
    dataDir: need(config.freqtrade.marketDataDir, 'MARKET_DATA_DIR'),
    quote: config.freqtrade.stakeCurrency,
  });
  const engine = createEngine(config, logger, deps.test ?? {});
  // Identical requests are answered from an earlier run's figures; every run the job makes is kept.
  const cached = { keys: engine.keys, cache: createResultCache({ models, logger }), logger };
  const runner = cachingRunner(engine.runner, cached);
  const clock = deps.test?.now ? { now: deps.test.now } : {};
  const limiter = createRateLimiter({ models, ...clock });
  const quotas = createQuotaService({
    models,
    limiter,
    slots: createBacktestSlots({ models, ...clock }),
    quotas: config.quotas,
    ...clock,
  });
  const strategies = createStrategyService({
    models,
    quotas,
    catalog,
    render: renderStrategy,
    logger,
    ...(engine.renderCheck ? { validator: engine.renderCheck } : {}),
  });
  // The service queues through the scheduler and the scheduler's job uses the service: the queue
  // closure reaches the scheduler only when a backtest is requested, after both exist.
  const backtests = createBacktestService({
    models,
    strategies,
    catalog,
    queue: {
      enqueue: (job) => scheduler.enqueue(job),
      position: (id) => scheduler.position(id),
      cancel: (id) => scheduler.cancel(id),
      shown: () => positions.refresh(),
    },
    defaultTimerange: config.backtest.defaultTimerange,
    logger,
    quotas,
    lookup: resultLookup(cached),
  });
  const positions = createQueuePositions({ order: () => scheduler.order(), models, notifier, logger });
  // A process that starts (or restarts) hosting a chat takes up the positions of the messages already
  // waiting there: nothing else would edit them until the queue moves here.
  notifier.onRegister?.(() => positions.refresh());
  const scheduler = createScheduler({
    db,
    logger,
    // By _id alone: the embedded FerretDB looks a filter of one _id up directly, and decodes every
    // document of the collection for any other (this runs every poll while a run is under way).
    cancelled: async (id) =>
      (await models.BacktestEnd.findById(id, { status: 1 }).lean())?.status === 'cancelled',
    onQueueChange: () => positions.refresh(),
    concurrency: config.backtest.concurrency,
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseMs,
    process: config.role !== 'bot',
    runBacktest: dispatchByKind({
      backtests,
      backtest: createRunBacktestJob({
        models,
        backtests,
        runner,
        notifier,
        logger,
        requeue: (id, correlationId) => scheduler.requeue(id, correlationId),
        equityChart: renderEquityChart,
        ...(engine.explainNoTrades ? { explainNoTrades: engine.explainNoTrades } : {}),
      }),
      robustness: createRunRobustnessJob({
        models,
        backtests,
        // Not the caching runner: a report's three runs are parts of one record, never a backtest's answer.
        runner: engine.runner,
        notifier,
        logger,
        requeue: (id, correlationId) => scheduler.requeue(id, correlationId),
        chart: renderRobustnessChart,
        ...(engine.lookahead ? { lookahead: engine.lookahead } : {}),
      }),
      optimise: createRunOptimiseJob({
        models,
        backtests,
        runner: engine.runner,
        notifier,
        logger,
        requeue: (id, correlationId) => scheduler.requeue(id, correlationId),
        render: renderStrategy,
      }),
    }),
  });
  const users = createUserService({ models });
  const accounts = createAccountService({ models, logger, quotas });
  const linking =
    config.clerk && config.http
      ? {
          codes: createLinkCodes({
            models,
            accounts,
            limiter,
            secret:
              config.clerk.linkCodeSecret ??
              (await readOrCreateSecret(path.join(config.dataDir, 'secrets', 'link-code.key'))),
          }),
          accounts,
          news: createLinkNews({ notifier, logger }),
          pageUrl: `${config.http.publicUrl}/link`,
        }
      : undefined;
  const model = createChatModel(config.openai);
  const drafter = createSpecDrafter({
    model,
    logger,
    markets: catalog,
    ...(engine.renderCheck
      ? { check: createSpecCheck({ validator: engine.renderCheck, render: renderStrategy }) }
      : {}),
  });
  const handlerDeps = {
    strategies,
    backtests,
    drafter,
    notifier,
    draftProgress: { notifier, logger },
    catalog,
    validator: engine.validator,
    ...(engine.sandbox ? { sandbox: engine.sandbox } : {}),
    imports: createPendingImports({ models }),
    quotas,
    ...(linking ? { linking } : {}),
    equityChart: (equity: EquitySeries, title: string) => renderEquitySeries({ series: equity, title }),
    compareChart: (series: { name: string; equity: EquitySeries }[]) =>
      Promise.resolve()
        .then(() =>
          renderCompareChart({
            title: series.map((x) => x.name).join(' vs '),
            series,
          }),
        )
        .catch((err: unknown) => {
          logger.warn({ err }, 'compare chart failed; /compare shows the figures without it');
          throw err;
        }),
  };
  const actions = createAgentActions(handlerDeps);
  const checkpointer = new LatestOnlyMongoSaver({ client: conn.getClient(), dbName: config.mongo.dbName });
  for (const err of await checkpointer.setup()) logger.warn({ err }, 'checkpoint index not created');
  const { guest, linked } = config.quotas;
  const facts = { pairs: catalog.pairs(), limits: [guest, linked].flatMap((q) => Object.values(q)) };
  const agent = createAgent({ model, checkpointer, actions, logger, facts });
  const forms = createFormSessions({ models });
  const conversation = createConversation({
    ...handlerDeps,
    users,
    agent,
    forms,
    logger,
    requireLink: config.requireLink,
    deliveries: createInboundDeliveries({ models }),
  });
  await scheduler.start();
  const stopOutbox = notifier.startOutbox(config.jobs.pollMs * 2);
  const healthy = async () => {
    await db.command({ ping: 1 });
    return true;
  };
  // The HTTP server runs where chats are served; a worker only runs backtests.
  const http =
    config.http && config.role !== 'worker' ? createHttpServer(config.http, { logger, healthy }) : undefined;
  if (http && linking && config.clerk) {
    registerLinkRoutes(http.app, {
      codes: linking.codes,
      verifier: createSessionVerifier(config.clerk),
      notifier,
      clerk: config.clerk,
      logger,
    });
  }
  if (http && config.clerk?.webhookSecret) {
    const sync = createAccountSync({
      models,
      logger,
      cleanup: {
        ...createAccountFiles({ dataDir: config.dataDir, chartPlatform: CONSOLE_PLATFORM }),
        forgetConversations: (platform, userId) =>
          checkpointer.forgetThreads(identityThreads(platform, userId)),
        cancelLive: cancelLiveWith(backtests),
      },
    });
    registerClerkWebhook(http.app, { secret: config.clerk.webhookSecret, sync, models, logger });
  }
  const webhookPaths = platformWebhookPaths(config);
  const webhooks =
    http && Object.keys(webhookPaths).length > 0
      ? registerPlatformWebhooks(http.app, webhookPaths, logger)
      : undefined;
  const httpPort = http ? await http.start() : undefined;

  return {
    conversation,
    notifier,
    models,
    strategies,
    backtests,
    validator: engine.validator,
    ...(engine.sandbox ? { sandbox: engine.sandbox } : {}),
    healthy,
    ...(httpPort !== undefined ? { httpPort } : {}),
    ...(webhooks ? { webhooks } : {}),
    async stop() {
      await http?.stop();
      stopOutbox();
      await scheduler.stop();
      await positions.stop();
      await engine.stop();
      moving.abort();
      await moved;
      await conn.close();
    },
  };
}
