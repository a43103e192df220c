// Round-robin across users on top of Agenda's oldest-first pick. Each queued backtest gets a turn: one
// past its owner's last turn, but never behind the turn being served now. Its job's nextRunAt is that
// turn as a moment in the past, so Agenda, which locks the due job with the earliest nextRunAt, serves
// one backtest of each waiting user per round, whoever queued more. Counters live in the database, so
// several bots and workers share one order; the queue position is counted in that same order.
import type { Collection, Db, Document, ObjectId } from 'mongodb';
import { z } from 'zod';
import { upsertRacing } from '../src/storage/duplicate-key.ts';

/** Turn 0 as a date: far enough back that every turn is due, and no real schedule sorts among them. */
const EPOCH_MS = Date.UTC(2000, 0, 1);
const CLOCK_ID = 'served';

export const turnDate = (turn: number): Date => new Date(EPOCH_MS + turn);

type TurnDoc = { _id: string; turn: number };

export type FairTurns = {
  /** The turn for this user's next backtest. */
  next(userKey: string): Promise<number>;
  /** The turn being served now: a backtest put back in the queue goes to the front with it. */
  front(): Promise<number>;
  /**
   * A user's queued backtest left the queue (cancelled): their counter goes back to their last turn
   * still waiting, so their next backtest is not queued behind the turns they gave up.
   */
  giveBack(jobs: Collection, jobName: string, userKey: string): Promise<void>;
  /** Moves the served turn forward as a backtest starts (never back). */
  served(turn: number): Promise<void>;
  /**
   * 1 for the next backtest to start, 2 for the one after, and so on; null once a worker took it or
   * it is gone. Equal turns go in queueing order, as the job ids were made.
   */
  position(jobs: Collection, jobName: string, backtestId: string): Promise<number | null>;
  /** The backtests waiting for a worker, in the order they will start (positions 1, 2, ...). */
  order(jobs: Collection, jobName: string): Promise<string[]>;
};

const DataSchema = z.object({ backtestId: z.string() });

export function createFairTurns(db: Db, collection = 'backtestTurns'): FairTurns {
  const turns = db.collection<TurnDoc>(collection);
  const front = async () => (await turns.findOne({ _id: CLOCK_ID }))?.turn ?? 0;
  return {
    front,
    async next(userKey) {
      const floor = await front();
      const _id = `user:${userKey}`;
      // Two atomic steps make max(last + 1, floor) without a read-modify-write race between bots.
      // A new user's first requests at once: the counter's upserts race (FerretDB's aren't atomic).
      await upsertRacing(() => turns.updateOne({ _id }, { $max: { turn: floor - 1 } }, { upsert: true }));
      const doc = await turns.findOneAndUpdate({ _id }, { $inc: { turn: 1 } }, { returnDocument: 'after' });
      if (!doc) throw new Error(`turn counter ${_id} vanished`);
      return doc.turn;
    },
    async giveBack(jobs, jobName, userKey) {
      const last = await jobs.findOne<{ data: { turn: number } }>(
        { name: jobName, 'data.owner': userKey, lockedAt: null, nextRunAt: { $ne: null } },
        { sort: { 'data.turn': -1 }, projection: { 'data.turn': 1 } },
      );
      // Below the served turn is as good as none: next() never hands out a turn behind it.
      await turns.updateOne(
        { _id: `user:${userKey}` },
        { $set: { turn: last?.data.turn ?? (await front()) - 1 } },
      );
    },
    async served(turn) {
      await upsertRacing(() => turns.updateOne({ _id: CLOCK_ID }, { $max: { turn } }, { upsert: true }));
    },
    async position(jobs, jobName, backtestId) {
      const mine = await jobs.findOne<Document & { _id: ObjectId; nextRunAt: Date | null }>(
        { name: jobName, 'data.backtestId': backtestId, lockedAt: null, nextRunAt: { $ne: null } },
        { projection: { nextRunAt: 1 } },
      );
      if (!mine?.nextRunAt) return null;
      const ahead = await jobs.countDocuments({
        name: jobName,
        lockedAt: null,
        disabled: { $ne: true },
        $or: [{ nextRunAt: { $lt: mine.nextRunAt } }, { nextRunAt: mine.nextRunAt, _id: { $lt: mine._id } }],
      });
      return ahead + 1;
    },
    async order(jobs, jobName) {
      const waiting = await jobs
        .find(
          { name: jobName, lockedAt: null, disabled: { $ne: true }, nextRunAt: { $ne: null } },
          { projection: { 'data.backtestId': 1 } },
        )
        .sort({ nextRunAt: 1, _id: 1 })
        .toArray();
      return waiting.flatMap((j) => {
        const data = DataSchema.safeParse(j.data);
        return data.success ? [data.data.backtestId] : [];
      });
    },
  };
}
