// Pasted code waiting for "replace my strategy?" to be confirmed. A button carries 64 bytes, not a
// strategy file, so the validated code waits in the database under an id the Confirm button names;
// it stays an hour (a restart loses nothing) and only its owner can take it.
import { Types } from 'mongoose';
import type { CustomCode } from '../../services/strategy-docs.ts';
import type { Models } from '../../storage/models.ts';

const TTL_MS = 60 * 60_000;

export type PendingImport = CustomCode & { strategyId: string; basedOn: number };

export type PendingImports = {
  /** Keeps the import; resolves with the id for the Confirm button. */
  hold(ownerId: Types.ObjectId, pending: PendingImport): Promise<string>;
  /** Removes and returns the owner's pending import, or null when it expired or was used. */
  take(ownerId: Types.ObjectId, id: string): Promise<PendingImport | null>;
};

export function createPendingImports(deps: { models: Pick<Models, 'PendingImport'> }): PendingImports {
  const { PendingImport } = deps.models;
  return {
    async hold(ownerId, p) {
      // No TTL indexes on FerretDB: expired ones are swept here, when a new one comes.
      await PendingImport.deleteMany({ expiresAt: { $lt: new Date() } });
      const doc = await PendingImport.create({
        ownerId,
        strategyId: new Types.ObjectId(p.strategyId),
        basedOn: p.basedOn,
        className: p.className,
        code: p.code,
        timeframe: p.timeframe,
        pairs: p.pairs,
        expiresAt: new Date(Date.now() + TTL_MS),
      });
      return doc._id.toString();
    },
    async take(ownerId, id) {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await PendingImport.findOneAndDelete({
        ownerId,
        _id: new Types.ObjectId(id),
        expiresAt: { $gt: new Date() },
      }).lean();
      if (!doc) return null;
      return {
        strategyId: doc.strategyId.toString(),
        basedOn: doc.basedOn,
        className: doc.className,
        code: doc.code,
        timeframe: doc.timeframe,
        pairs: doc.pairs,
      };
    },
  };
}
