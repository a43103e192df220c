// A backtest's heavy fields (the code it runs, Freqtrade's figures, a report's or optimisation's
// result) live in `backtest_payloads` under the backtest's own _id, so the records the queue scans
// stay small (src/storage/models.ts says why). Writers put the payload before the record points at it;
// readers that need the fields read it by _id here. Records written before the split carry the fields
// inline: each field falls back to the record's own while the payload lacks it (a run queued by an
// earlier version and finished by this one has its snapshot inline and its figures here).
import type { Types } from 'mongoose';
import { z } from 'zod';
import { upsertRacing } from '../storage/duplicate-key.ts';
import type { BacktestDoc, BacktestPayloadFields, Models } from '../storage/models.ts';

const SnapshotSchema = z.object({
  kind: z.enum(['spec', 'custom']),
  className: z.string(),
  code: z.string(),
  spec: z.unknown(),
});
// Each key optional: records from before snapshots, reports or optimisations existed lack some.
const InlineSchema = z.object({
  snapshot: z.unknown().optional(),
  summary: z.unknown().optional(),
  equity: z.unknown().optional(),
  robustness: z.unknown().optional(),
  optimisation: z.unknown().optional(),
});

/** The heavy fields as records from before the split stored them inline (each may be absent). */
function inlineOf(doc: unknown) {
  const inline = InlineSchema.safeParse(doc).data;
  return {
    // A snapshot that no longer reads is none: the worker falls back as for records without one.
    snapshot: SnapshotSchema.safeParse(inline?.snapshot).data ?? null,
    summary: inline?.summary,
    equity: inline?.equity,
    robustness: inline?.robustness,
    optimisation: inline?.optimisation,
  };
}

export type BacktestPayloads = {
  /** Writes fields of a backtest's payload (an upsert: a retry overwrites, a first write creates it). */
  put(id: Types.ObjectId | string, fields: Partial<BacktestPayloadFields>): Promise<void>;
  /** The record with its heavy fields: from its payload, else (older records) from the record itself. */
  read<T extends BacktestDoc>(doc: T): Promise<T & Required<BacktestPayloadFields>>;
  /** Deletes the payloads of these backtests; returns how many went. */
  remove(ids: (Types.ObjectId | string)[]): Promise<number>;
  /**
   * Moves the heavy fields of records from before the split into their payloads, so the queue's scans
   * get cheaper on a database with history; returns how many records moved. Safe to run again, or in
   * several processes at once: a field goes to the payload (unless the payload has one already, which
   * is what readers see) before it leaves the record, and only the fields read are removed. Stops
   * between records once `signal` is aborted.
   */
  moveInline(signal?: AbortSignal): Promise<number>;
};

const HEAVY = ['snapshot', 'summary', 'equity', 'robustness', 'optimisation'] as const;

export function createBacktestPayloads(
  models: Pick<Models, 'Backtest' | 'BacktestPayload'>,
): BacktestPayloads {
  const { Backtest, BacktestPayload } = models;
  // Two writers of one new _id may both insert (FerretDB); the loser's retry updates.
  const put: BacktestPayloads['put'] = async (id, fields) => {
    await upsertRacing(() => BacktestPayload.updateOne({ _id: id }, { $set: fields }, { upsert: true }));
  };
  return {
    put,
    async read(doc) {
      // By _id alone, the one key every payload has.
      const payload = await BacktestPayload.findById(doc._id).lean();
      const inline = inlineOf(doc);
      return {
        ...doc,
        snapshot: payload?.snapshot ?? inline.snapshot ?? null,
        summary: payload?.summary ?? inline.summary ?? null,
        equity: payload?.equity ?? inline.equity ?? null,
        robustness: payload?.robustness ?? inline.robustness ?? null,
        optimisation: payload?.optimisation ?? inline.optimisation ?? null,
      };
    },
    async remove(ids) {
      if (ids.length === 0) return 0;
      return (await BacktestPayload.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
    async moveInline(signal) {
      // Past the schema, which no longer names these fields: the records as stored.
      const inlineRecords = Backtest.collection.find({
        $or: HEAVY.map((field) => ({ [field]: { $exists: true } })),
      });
      let moved = 0;
      for await (const raw of inlineRecords) {
        if (signal?.aborted) break;
        const inline = inlineOf(raw);
        const payload = await BacktestPayload.findById(raw._id).lean();
        const present = HEAVY.filter((field) => field in raw);
        const fields: Partial<BacktestPayloadFields> = {};
        for (const field of present)
          if ((payload?.[field] ?? null) === null && inline[field] != null) fields[field] = inline[field];
        if (Object.keys(fields).length > 0) await put(raw._id, fields);
        // Only what is safe to drop: a field now in the payload, or one that was null. A field no reader
        // could use (a snapshot that no longer reads) stays where it is. Each guarded on the value read:
        // a writer that set it since keeps its value.
        const gone = present.filter(
          (field) =>
            fields[field] !== undefined || (payload?.[field] ?? null) !== null || raw[field] === null,
        );
        if (gone.length > 0)
          await Backtest.collection.updateOne(
            { _id: raw._id, ...Object.fromEntries(gone.map((field) => [field, raw[field]])) },
            { $unset: Object.fromEntries(gone.map((field) => [field, ''])) },
          );
        if (Object.keys(fields).length > 0) moved++;
      }
      return moved;
    },
  };
}
