// Agenda on the MongoDB backend. Jobs are stored in the database so a queued backtest survives a
// restart; an in-process notification channel wakes the worker at once instead of waiting for a poll.
// Stopping aborts running backtests, which put themselves back in the queue for the next worker.
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
  runBacktest: (data: unknown, signal: AbortSignal) => Promise<void>;
}): Scheduler {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: deps.db, collection: 'agendaJobs' }),
    notificationChannel: deps.process ? new InMemoryNotificationChannel() : undefined,
    processEvery: deps.pollMs,
    maxConcurrency: deps.concurrency,
    defaultConcurrency: deps.concurrency,
    defaultLockLifetime: deps.lockLifetimeMs,
    removeOnComplete: true,
  });
  const running = new Set<AbortController>();
  agenda.on('error', (err: unknown) => deps.logger.error({ err }, 'agenda error'));
  if (deps.process) {
    agenda.define(RUN_BACKTEST, async (job) => {
      const controller = new AbortController();
      running.add(controller);
      try {
        await deps.runBacktest(job.attrs.data, controller.signal);
      } finally {
        running.delete(controller);
      }
    });
  }
  return {
    async start() {
      if (deps.process) await agenda.start();
      else await agenda.ready;
    },
    async stop() {
      // Stop taking jobs first, so a backtest queued again below waits for the next worker
      // instead of starting here; then abort what runs and let it queue itself again.
      await agenda.stop(false);
      for (const c of running) c.abort();
      const deadline = Date.now() + 10_000;
      while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    async enqueue(backtestId, correlationId) {
      await agenda.now(RUN_BACKTEST, { backtestId, correlationId });
    },
  };
}
