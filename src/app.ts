// The composition root: builds every service from config and a MongoDB URI and wires them together.
// main.ts adds the process around it (embedded FerretDB, signals, adapters); tests build it directly.

import path from 'node:path';
import { MongoDBSaver } from '@langchain/langgraph-checkpoint-mongodb';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { createAgent } from '../agents/agent.ts';
import { createSpecDrafter } from '../agents/drafter.ts';
import { createChatModel } from '../agents/model.ts';
import { EquitySeriesSchema, renderCompareChart, renderEquityChart } from '../freqtrade/chart.ts';
import { createDockerRunner } from '../freqtrade/docker-runner.ts';
import { createLocalRunner } from '../freqtrade/local-runner.ts';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import { createRunBacktestJob } from '../jobs/run-backtest.ts';
import { createScheduler } from '../jobs/scheduler.ts';
import type { Config } from './config.ts';
import { createAgentActions } from './core/agent-actions.ts';
import { type Conversation, createConversation } from './core/conversation.ts';
import { createFormSessions } from './core/form-session.ts';
import { AppError } from './errors.ts';
import { createNotifier, type Notifier } from './notifier.ts';
import { type BacktestService, createBacktestService } from './services/backtests.ts';
import { createMarketCatalog } from './services/market-catalog.ts';
import { createStrategyService, type StrategyService } from './services/strategies.ts';
import { createUserService } from './services/users.ts';
import { createModels, type Models, syncIndexes } from './storage/models.ts';

export type App = {
  conversation: Conversation;
  notifier: Notifier;
  models: Models;
  strategies: StrategyService;
  backtests: BacktestService;
  stop(): Promise<void>;
};

function need(value: string | undefined, what: string): string {
  if (!value) {
    throw new AppError('CONFIG', `${what} is not configured. Run \`npm run bootstrap\` or set it in .env.`);
  }
  return value;
}

function createRunner(config: Config, logger: Logger): BacktestRunner {
  const ft = config.freqtrade;
  const common = {
    marketDataDir: need(ft.marketDataDir, 'MARKET_DATA_DIR'),
    marketsPath: need(ft.marketsPath, 'MARKETS_SNAPSHOT'),
    resultsRoot: path.join(config.dataDir, 'backtests'),
    timeoutMs: ft.timeoutMs,
    stakeCurrency: ft.stakeCurrency,
    startingBalance: ft.startingBalance,
    engineDir: ft.engineDir,
    logger,
  };
  if (ft.runner === 'docker') return createDockerRunner({ ...common, image: ft.image });
  return createLocalRunner({ ...common, path: ft.path, python: need(ft.python, 'FREQTRADE_PYTHON') });
}

export async function createApp(config: Config, deps: { logger: Logger; mongoUri: string }): Promise<App> {
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
  const db = conn.getClient().db(config.mongo.dbName);

  const notifier = createNotifier({ logger, models });
  const catalog = createMarketCatalog({
    marketsPath: need(config.freqtrade.marketsPath, 'MARKETS_SNAPSHOT'),
    dataDir: need(config.freqtrade.marketDataDir, 'MARKET_DATA_DIR'),
    quote: config.freqtrade.stakeCurrency,
  });
  const strategies = createStrategyService({ models, catalog });
  const runner = createRunner(config, logger);
  // The service queues through the scheduler and the scheduler's job uses the service: the queue
  // closure reaches the scheduler only when a backtest is requested, after both exist.
  const backtests = createBacktestService({
    models,
    strategies,
    catalog,
    queue: { enqueue: (id, correlationId) => scheduler.enqueue(id, correlationId) },
    defaultTimerange: config.backtest.defaultTimerange,
    logger,
  });
  const scheduler = createScheduler({
    db,
    logger,
    concurrency: config.backtest.concurrency,
    pollMs: config.jobs.pollMs,
    lockLifetimeMs: config.freqtrade.timeoutMs + 60_000,
    process: config.role !== 'bot',
    runBacktest: createRunBacktestJob({
      models,
      backtests,
      runner,
      notifier,
      logger,
      requeue: (id, correlationId) => scheduler.enqueue(id, correlationId),
      equityChart: renderEquityChart,
    }),
  });
  const users = createUserService({ models });
  const model = createChatModel(config.openai);
  const drafter = createSpecDrafter({ model, logger });
  const handlerDeps = {
    strategies,
    backtests,
    drafter,
    catalog,
    compareChart: (series: { name: string; equity: unknown }[]) =>
      renderCompareChart({
        title: series.map((x) => x.name).join(' vs '),
        series: series.map((x) => ({ name: x.name, equity: EquitySeriesSchema.parse(x.equity) })),
      }),
  };
  const actions = createAgentActions(handlerDeps);
  const checkpointer = new MongoDBSaver({ client: conn.getClient(), dbName: config.mongo.dbName });
  const agent = createAgent({ model, checkpointer, actions, logger });
  const forms = createFormSessions({ models });
  const conversation = createConversation({ ...handlerDeps, users, agent, forms, logger });
  await scheduler.start();
  const stopOutbox = notifier.startOutbox(config.jobs.pollMs * 2);

  return {
    conversation,
    notifier,
    models,
    strategies,
    backtests,
    async stop() {
      stopOutbox();
      await scheduler.stop();
      await conn.close();
    },
  };
}
