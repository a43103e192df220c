// Agenda on the MongoDB backend. Jobs are stored in the database so a queued backtest survives a
// restart, and any number of worker processes, on any machines, share one queue:
// - fair: jobs are ordered by turn, round-robin across users (fair-turns.ts), and a worker locks only
//   the jobs it can start now, so none sits on a pile of one user's jobs;
// - claimed: of two slots or processes handed one job at once (Agenda's lock isn't atomic on FerretDB),
//   the one that claims the backtest's start runs it (start-claims.ts);
// - leased: a running job renews a short lock (lease.ts), so a dead worker's job is taken over soon;
// - woken: a new job reaches a worker at once (wake.ts), else at the next short poll.
// - cancellable: a cancelled backtest leaves the queue, and its run stops wherever it runs
//   (cancel-watch.ts); every move of the queue is told to the waiting backtests' messages.
// Stopping aborts running backtests, which put themselves back at the front of the queue.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type JobWithId } from 'agenda';
import type { Db } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BacktestQueue } from '../src/services/backtests.ts';
import { cancelledReason, watchCancel } from './cancel-watch.ts';
import { createFairTurns, turnDate } from './fair-turns.ts';
import { holdLease } from './lease.ts';
import { RUN_BACKTEST } from './run-backtest.ts';
import { createStartClaims, hasRun, isHeld, type StartClaim } from './start-claims.ts';
import { createWakeChannel, offersChangeStreams, type WakeChannel } from './wake.ts';

const JOBS = 'agendaJobs';
/** With change streams, polling only finds expired leases and anything a stream missed. */
const WATCHED_POLL_MS = 5_000;

export type Scheduler = BacktestQueue & {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Puts a backtest whose worker stopped back at the front of the queue. */
  requeue(backtestId: string, correlationId: string): Promise<void>;
  /** The backtests waiting for a worker, in the order they will start. */
  order(): Promise<string[]>;
};

/** What the scheduler adds to a job's payload (run-backtest.ts reads only its own fields). */
const TurnSchema = z.object({ turn: z.number().int() });
const BacktestIdSchema = z.object({ backtestId: z.string() });
const OwnerSchema = z.object({ owner: z.string() });

export function createScheduler(deps: {
  db: Db;
  logger: Logger;
  concurrency: number;
  /** How often a worker looks for jobs when nothing wakes it (no change streams). */
  pollMs: number;
  /** A running job's lock lasts this long unless renewed; its worker renews it every quarter. */
  leaseMs: number;
  /** Whether this process runs jobs (role all/worker) or only queues them (role bot). */
  process: boolean;
  /** Uses change streams where the server has them; false forces polling (tests, benchmarks). */
  watch?: boolean;
  runBacktest: (data: unknown, signal: AbortSignal) => Promise<void>;
  /** Whether a backtest was cancelled; read every poll while it runs here, so a cancel from any process stops it. */
  cancelled?: (backtestId: string) => Promise<boolean>;
  /** The queue moved (a run queued, started or cancelled): waiting backtests' positions may have changed. */
  onQueueChange?: () => void;
}): Scheduler {
  const onError = (err: unknown) => deps.logger.error({ err }, 'agenda error');
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: deps.db, collection: JOBS }),
    // Named per process: it marks the locks this process takes (lastModifiedBy).
    name: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    processEvery: deps.pollMs,
    maxConcurrency: deps.concurrency,
    defaultConcurrency: deps.concurrency,
    lockLimit: deps.concurrency,
    defaultLockLifetime: deps.leaseMs,
    // Finished jobs are removed below, after the slot is free, so the wake-up finds it free.
    removeOnComplete: false,
  });
  const jobs = deps.db.collection(JOBS);
  const turns = createFairTurns(deps.db);
  const running = new Set<AbortController>();
  /** The runs of this process by backtest, so a cancel asked here stops its run at once. */
  const byBacktest = new Map<string, { controller: AbortController; claim: StartClaim }>();
  const claims = createStartClaims({ db: deps.db, leaseMs: deps.leaseMs });
  /** Jobs handed out here while another run held their backtest, with that run's last renewal. */
  const dropped = new Map<string, { heldSince: Date; backtestId: string }>();
  const moved = () => deps.onQueueChange?.();
  let wake: WakeChannel | undefined;
  agenda.on('error', onError);

  if (deps.process) {
    agenda.define(
      RUN_BACKTEST,
      async (job) => {
        const jobId = String(job.attrs._id);
        const backtestId = BacktestIdSchema.safeParse(job.attrs.data).data?.backtestId;
        // FerretDB doesn't make Agenda's lock atomic: one job can be handed to two slots or two
        // processes at once. The one that claims the backtest's start runs it; any other leaves it
        // locked for as long as the holder's claim lasts, so it is handed out again only if that dies.
        const claim = await claims.claim(backtestId ?? jobId, jobId);
        if (hasRun(claim)) {
          // This job's own run has ended (another slot had it): it completes here with nothing to do.
          deps.logger.warn({ backtestId, jobId }, 'job handed out again after its run ended; not run twice');
          return;
        }
        if (isHeld(claim)) {
          dropped.set(jobId, { heldSince: claim.renewedAt, backtestId: backtestId ?? jobId });
          deps.logger.warn(
            { backtestId, jobId },
            'job handed out while another run holds it; left to that run',
          );
          return;
        }
        const controller = new AbortController();
        running.add(controller);
        if (backtestId) byBacktest.set(backtestId, { controller, claim });
        const release = holdLease({ jobs, job, claim, leaseMs: deps.leaseMs, controller, onError });
        const cancelled = deps.cancelled;
        const unwatch =
          backtestId && cancelled
            ? watchCancel({
                backtestId,
                cancelled: () => cancelled(backtestId),
                controller,
                everyMs: deps.pollMs,
                onError,
              })
            : () => undefined;
        try {
          const turn = TurnSchema.safeParse(job.attrs.data).data?.turn;
          if (turn !== undefined) await turns.served(turn).catch(onError);
          moved();
          await deps.runBacktest(job.attrs.data, controller.signal);
        } finally {
          unwatch();
          release();
          running.delete(controller);
          await claim.end().catch(onError);
          if (backtestId && byBacktest.get(backtestId)?.controller === controller)
            byBacktest.delete(backtestId);
        }
      },
      // Lock no more than can start: jobs locked ahead would wait here while another worker is idle.
      { concurrency: deps.concurrency, lockLimit: deps.concurrency, lockLifetime: deps.leaseMs },
    );
    const succeeded = new Set<string>();
    agenda.on('success', (job: JobWithId, remote?: false) => {
      const id = String(job.attrs._id);
      if (!remote && !dropped.has(id)) succeeded.add(id);
    });
    agenda.on('complete', (job: JobWithId, remote?: false) => {
      if (remote) return;
      const id = String(job.attrs._id);
      if (succeeded.delete(id)) agenda.cancel({ id }).catch(onError);
      const held = dropped.get(id);
      if (held) {
        // Agenda has just unlocked it; it stays locked as the holder's claim is, which renews both,
        // unless the holder's run is over by now (a lock then would outlive the run it stands for).
        dropped.delete(id);
        claims
          .held(held.backtestId)
          .then(async (holding) => {
            if (!holding) return;
            // Agenda hands the id out as a string; the document's _id is an ObjectId.
            const res = await jobs.updateOne(
              { _id: new ObjectId(id) },
              { $set: { lockedAt: held.heldSince } },
            );
            if (res.matchedCount === 0) onError(new Error(`held job ${id} not found to lock again`));
          })
          .catch(onError);
      }
      // Agenda frees the slot right after this event, within the same turn of the event loop.
      setImmediate(() => wake?.wake(RUN_BACKTEST));
    });
  }

  async function add(data: { backtestId: string; correlationId: string; owner?: string }, turn: number) {
    const job = agenda.create(RUN_BACKTEST, { ...data, turn });
    job.schedule(turnDate(turn));
    await job.save();
  }

  return {
    async start() {
      await agenda.ready;
      if (!deps.process) return;
      const watch = (deps.watch ?? true) && (await offersChangeStreams(deps.db));
      wake = createWakeChannel({ db: deps.db, collection: JOBS, watch, onError });
      agenda.notifyVia(wake.channel);
      agenda.processEvery(watch ? Math.max(deps.pollMs, WATCHED_POLL_MS) : deps.pollMs);
      deps.logger.info(
        { changeStreams: watch, pollMs: watch ? WATCHED_POLL_MS : deps.pollMs },
        'job worker started',
      );
      await agenda.start();
    },
    async stop() {
      // Stop taking jobs first, so a backtest queued again below waits for the next worker
      // instead of starting here; then abort what runs and let it queue itself again.
      await agenda.stop(false);
      for (const c of running) c.abort();
      const deadline = Date.now() + 10_000;
      while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    async enqueue({ backtestId, correlationId, ownerKey }) {
      await add({ backtestId, correlationId, owner: ownerKey }, await turns.next(ownerKey));
      moved();
    },
    async requeue(backtestId, correlationId) {
      // The run stopping here gives its claim up first, so the queued job can claim the next one.
      await byBacktest.get(backtestId)?.claim.end();
      await add({ backtestId, correlationId }, await turns.front());
      moved();
    },
    async cancel(backtestId) {
      // A job no worker holds leaves the queue; one already locked starts, reads the status and skips.
      const waiting = { name: RUN_BACKTEST, 'data.backtestId': backtestId, lockedAt: null };
      const owners = (await jobs.find(waiting, { projection: { 'data.owner': 1 } }).toArray()).flatMap(
        (j) => OwnerSchema.safeParse(j.data).data?.owner ?? [],
      );
      await jobs.deleteMany(waiting);
      // Its turn goes back to its owner, who would otherwise queue behind the turn given up.
      for (const owner of new Set(owners)) await turns.giveBack(jobs, RUN_BACKTEST, owner);
      byBacktest.get(backtestId)?.controller.abort(cancelledReason(backtestId));
      moved();
    },
    position: (backtestId) => turns.position(jobs, RUN_BACKTEST, backtestId),
    order: () => turns.order(jobs, RUN_BACKTEST),
  };
}
