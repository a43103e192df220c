// A running job's lease: the run's start claim (start-claims.ts) and its Agenda lock are renewed
// together every quarter of the lease while it runs, so a short lease (20 s by default) is enough for
// any backtest, and a dead worker's job is taken over soon after. The job's lock is set to the claim's
// renewal time, so Agenda hands the job out again exactly when the claim may be taken over. When a
// newer claim exists (another worker took over while this one stalled), or this worker has not renewed
// for half a lease (database unreachable, or a renewal that hangs), the run is aborted with LeaseLost
// and leaves the backtest alone; whoever holds the lease now finishes it. Giving up at half the lease
// leaves the other half between this run stopping and another starting.
import { type Collection, ObjectId } from 'mongodb';
import type { StartClaim } from './start-claims.ts';

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
  claim: Pick<StartClaim, 'renew' | 'renewedAt'>;
  leaseMs: number;
  controller: AbortController;
  onError: (err: unknown) => void;
}): () => void {
  const { job, claim, controller } = deps;
  const id = new ObjectId(String(job.attrs._id));
  const lost = () => controller.abort(new LeaseLost(String(id)));
  let busy = false;
  const renew = async () => {
    const at = new Date();
    if (!(await claim.renew(at))) {
      lost();
      return;
    }
    // Unconditional: a second hand-out of this job may have cleared the lock on its way out.
    await deps.jobs.updateOne({ _id: id }, { $set: { lockedAt: at } });
    job.attrs.lockedAt = at;
  };
  const every = Math.max(250, Math.floor(deps.leaseMs / 4));
  const timer = setInterval(() => {
    if (controller.signal.aborted) return;
    // Checked before the renewal in flight, which may never answer: past half a lease without
    // renewing, this run stops before another worker may take the job over.
    if (Date.now() - claim.renewedAt().getTime() > deps.leaseMs / 2) {
      lost();
      return;
    }
    if (busy) return;
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
