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

/** The heavy fields as records from before the split stored them inline (each may be absent). */
const InlineSchema = z.object({
  snapshot: z
    .object({
      kind: z.enum(['spec', 'custom']),
      className: z.string(),
      code: z.string(),
      spec: z.unknown(),
    })
    .nullish()
    .catch(null),
  summary: z.unknown(),
  equity: z.unknown(),
  robustness: z.unknown(),
  optimisation: z.unknown(),
});

export type BacktestPayloads = {
  /** Writes fields of a backtest's payload (an upsert: a retry overwrites, a first write creates it). */
  put(id: Types.ObjectId | string, fields: Partial<BacktestPayloadFields>): Promise<void>;
  /** The record with its heavy fields: from its payload, else (older records) from the record itself. */
  read<T extends BacktestDoc>(doc: T): Promise<T & Required<BacktestPayloadFields>>;
  /** Deletes the payloads of these backtests; returns how many went. */
  remove(ids: (Types.ObjectId | string)[]): Promise<number>;
};

export function createBacktestPayloads(models: Pick<Models, 'BacktestPayload'>): BacktestPayloads {
  const { BacktestPayload } = models;
  return {
    async put(id, fields) {
      // Two writers of one new _id may both insert (FerretDB); the loser's retry updates.
      await upsertRacing(() => BacktestPayload.updateOne({ _id: id }, { $set: fields }, { upsert: true }));
    },
    async read(doc) {
      // By _id alone: the one lookup the embedded FerretDB answers without decoding every document.
      const payload = await BacktestPayload.findById(doc._id).lean();
      const inline = InlineSchema.safeParse(doc).data;
      return {
        ...doc,
        snapshot: payload?.snapshot ?? inline?.snapshot ?? null,
        summary: payload?.summary ?? inline?.summary ?? null,
        equity: payload?.equity ?? inline?.equity ?? null,
        robustness: payload?.robustness ?? inline?.robustness ?? null,
        optimisation: payload?.optimisation ?? inline?.optimisation ?? null,
      };
    },
    async remove(ids) {
      if (ids.length === 0) return 0;
      return (await BacktestPayload.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
