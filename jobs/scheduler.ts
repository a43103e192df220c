// Agenda on the MongoDB backend. Jobs are stored in the database so a queued backtest survives a
// restart; an in-process notification channel wakes the worker at once instead of waiting for a poll.
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, InMemoryNotificationChannel } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { BacktestQueue } from '../src/services/backtests.ts';
import { RUN_BACKTEST } from './run-backtest.ts';

export type Scheduler = BacktestQueue & { start(): Promise<void>; stop(): Promise<void> };

export function createScheduler(deps: {
  db: Db;
  logger: Logger;
  concurrency: number;
  pollMs: number;
  /** A job locked longer than this is considered crashed and run again; keep it above the engine timeout. */
  lockLifetimeMs: number;
  /** Whether this process runs jobs (role all/worker) or only queues them (role bot). */
  process: boolean;
  runBacktest: (data: unknown) => Promise<void>;
}): Scheduler {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: deps.db, collection: 'agendaJobs' }),
    notificationChannel: deps.process ? new InMemoryNotificationChannel() : undefined,
    processEvery: deps.pollMs,
    maxConcurrency: deps.concurrency,
    defaultConcurrency: deps.concurrency,
    // A crashed worker's job is picked up again after this long.
    defaultLockLifetime: deps.lockLifetimeMs,
  });
  agenda.on('error', (err: unknown) => deps.logger.error({ err }, 'agenda error'));
  if (deps.process) {
    agenda.define(RUN_BACKTEST, async (job) => {
      await deps.runBacktest(job.attrs.data);
    });
  }
  return {
    async start() {
      if (deps.process) await agenda.start();
      else await agenda.ready;
    },
    async stop() {
      await agenda.stop();
    },
    async enqueue(backtestId, correlationId) {
      await agenda.now(RUN_BACKTEST, { backtestId, correlationId });
    },
  };
}
