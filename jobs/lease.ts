// A running job's lease: its lock is renewed every quarter of the lease while it runs, so a short lease
// (20 s by default) is enough for any backtest, and a dead worker's job is taken over soon after. The
// renewal is fenced on the lock this worker holds: when another worker has taken the job over (this one
// stalled past its lease), or it can't renew for a whole lease, the run is aborted with LeaseLost and
// leaves the backtest alone; whoever holds the lease now finishes it.
import { type Collection, ObjectId } from 'mongodb';

/** The abort reason of a run whose lease went to another worker; the run must not touch the backtest. */
class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} lost to another worker`);
    this.name = 'LeaseLost';
  }
}

export const isLeaseLost = (reason: unknown): reason is LeaseLost => reason instanceof LeaseLost;

/** What of Agenda's job the lease reads and keeps current (Agenda checks `lockedAt` for expiry too). */
type LeasedJob = { attrs: { _id?: string | undefined; lockedAt?: Date | null | undefined } };

export function holdLease(deps: {
  jobs: Collection;
  job: LeasedJob;
  leaseMs: number;
  controller: AbortController;
  onError: (err: unknown) => void;
}): () => void {
  const { job, controller } = deps;
  const id = new ObjectId(String(job.attrs._id));
  let renewedAt = Date.now();
  let busy = false;
  const renew = async () => {
    const held = job.attrs.lockedAt;
    const now = new Date();
    // A worker that ran this job before and stalled may have cleared the lock on its way out
    // (lockedAt and nextRunAt null, as Agenda leaves a finished job); that lock is still ours.
    const res = await deps.jobs.updateOne(
      { _id: id, $or: [{ lockedAt: held ?? null }, { lockedAt: null, nextRunAt: null }] },
      { $set: { lockedAt: now } },
    );
    if (res.matchedCount === 0) {
      controller.abort(new LeaseLost(String(id)));
      return;
    }
    job.attrs.lockedAt = now;
    renewedAt = now.getTime();
  };
  const every = Math.max(250, Math.floor(deps.leaseMs / 4));
  const timer = setInterval(() => {
    if (busy || controller.signal.aborted) return;
    // Past a lease without renewing (database unreachable), another worker may hold it by now.
    if (Date.now() - renewedAt > deps.leaseMs - every) {
      controller.abort(new LeaseLost(String(id)));
      return;
    }
    busy = true;
    renew()
      .catch(deps.onError)
      .finally(() => {
        busy = false;
      });
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
