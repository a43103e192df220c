// Who runs a backtest now. Agenda's lock is not atomic on FerretDB (it reads before it writes), so
// one job can be handed to two slots or two processes at once; the run that goes ahead is the one that
// inserts the backtest's start claim first. A claim's _id is the backtest id plus a generation: the
// first run claims generation 1; a run after it (a takeover once the holder's lease ran out, or a
// backtest queued again) claims the next one, and of two racing for it the unique _id lets one in.
// A claim is a lease of its own: its holder renews it while the run goes on, and a newer generation
// fences the old holder off (the same way a run's end is settled by a unique `backtest_ends` insert).
import type { Db } from 'mongodb';
import { isDuplicateKey } from '../src/storage/duplicate-key.ts';

type ClaimDoc = {
  _id: string;
  backtestId: string;
  /** The queue job whose run made the claim: a copy of that job handed out after its run ended is stale. */
  jobId?: string;
  generation: number;
  renewedAt: Date;
  endedAt: Date | null;
};

export type StartClaim = {
  generation: number;
  /** When the holder last renewed it; the job's lock mirrors this, so both expire together. */
  renewedAt(): Date;
  /** Renews the claim at `at`; false once a newer generation took the backtest over (or it ended). */
  renew(at: Date): Promise<boolean>;
  /** The run is over: the next run of this backtest (queued again, or a stale hand-out) may claim. */
  end(): Promise<void>;
};

/** Why a job was handed out and not run: someone else holds the backtest, renewed at `renewedAt`. */
export type Held = { held: true; renewedAt: Date };

/** The job was handed out again after its own run had already ended: nothing is left to run. */
export type Ran = { ran: true };

export type StartClaims = {
  /**
   * The claim for this run, or who holds the backtest now, or that this job (`jobId`) already ran: a
   * second hand-out of one job that arrives after the first run ended (Agenda's lock is not atomic here).
   */
  claim(backtestId: string, jobId?: string): Promise<StartClaim | Held | Ran>;
  /** Whether a run still holds the backtest: its latest claim has not ended and is renewed in time. */
  held(backtestId: string): Promise<boolean>;
};

/** How long an ended claim is kept before any run's end sweeps it. */
export const ENDED_KEPT_MS = 24 * 60 * 60_000;

export const isHeld = (c: StartClaim | Held | Ran): c is Held => 'held' in c;
export const hasRun = (c: StartClaim | Held | Ran): c is Ran => 'ran' in c;

export function createStartClaims(deps: {
  db: Db;
  /** A claim not renewed for this long is the claim of a dead (or hung) worker. */
  leaseMs: number;
  collection?: string;
}): StartClaims {
  const claims = deps.db.collection<ClaimDoc>(deps.collection ?? 'backtestStarts');
  const live = (c: ClaimDoc | null, now: Date): boolean =>
    c !== null && c.endedAt === null && c.renewedAt.getTime() > now.getTime() - deps.leaseMs;
  const latestOf = (backtestId: string) => claims.findOne({ backtestId }, { sort: { generation: -1 } });
  return {
    async held(backtestId) {
      return live(await latestOf(backtestId), new Date());
    },
    async claim(backtestId, jobId) {
      const latest = await latestOf(backtestId);
      const now = new Date();
      if (latest && live(latest, now)) return { held: true, renewedAt: latest.renewedAt };
      if (latest && latest.endedAt !== null && jobId !== undefined && latest.jobId === jobId)
        return { ran: true };
      const generation = (latest?.generation ?? 0) + 1;
      const _id = `${backtestId}:${generation}`;
      try {
        await claims.insertOne({
          _id,
          backtestId,
          generation,
          renewedAt: now,
          endedAt: null,
          ...(jobId === undefined ? {} : { jobId }),
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another slot or process claimed this generation a moment ago, so it holds a fresh lease.
        return { held: true, renewedAt: now };
      }
      let renewedAt = now;
      return {
        generation,
        renewedAt: () => renewedAt,
        async renew(at) {
          const res = await claims.updateOne({ _id, endedAt: null }, { $set: { renewedAt: at } });
          if (res.matchedCount === 0) return false;
          if (
            await claims.findOne({ backtestId, generation: { $gt: generation } }, { projection: { _id: 1 } })
          )
            return false;
          renewedAt = at;
          return true;
        },
        async end() {
          const at = new Date();
          await claims.updateOne({ _id }, { $set: { endedAt: at } });
          // Only the newest generation is ever read: older ones go, and so does any claim that ended
          // over a day ago (no hand-out of its job comes that late; FerretDB has no TTL to do it).
          await claims.deleteMany({
            $or: [
              { backtestId, generation: { $lt: generation } },
              { endedAt: { $lt: new Date(at.getTime() - ENDED_KEPT_MS) } },
            ],
          });
        },
      };
    },
  };
}
