// The agent's checkpointer: MongoDBSaver keeping one checkpoint document per thread, overwritten in
// place. The agent never travels back in time, and on the embedded FerretDB (SQLite backend, no use of
// secondary indexes) every lookup scans the collection and every write is costly, so a turn pays for
// as few round trips as it can: one write per checkpoint (no insert-then-delete), pending writes of
// older checkpoints deleted only when this process knows there may be some, and the checkpoint a turn
// reads before it runs the graph read from the database once, not twice. The documents keep the
// package's shape, so its list() and deleteThread() still work on them; a checkpoint's parent link
// names a checkpoint that is gone (nothing here travels back in time). A unique index on the thread
// makes two processes racing on a new thread end with one document, and spares a real MongoDB the
// collection scans.
import type { RunnableConfig } from '@langchain/core/runnables';
import type { Checkpoint, CheckpointMetadata, CheckpointTuple } from '@langchain/langgraph';
import { MongoDBSaver } from '@langchain/langgraph-checkpoint-mongodb';
import type { Document } from 'mongodb';

type PendingWrite = Parameters<MongoDBSaver['putWrites']>[1][number];
type CheckpointPendingWrite = NonNullable<CheckpointTuple['pendingWrites']>[number];
type Keys = { thread_id: string; checkpoint_ns: string };
type Raw = { doc: Document; writes: Document[]; turn: string };

/** Bounds on what is remembered per thread; forgetting only costs a round trip. */
const MAX_READS = 256;
const MAX_CLEAN = 10_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}

function keysOf(config: RunnableConfig): (Keys & { checkpoint_id?: string; turn?: string }) | null {
  const c = config.configurable ?? {};
  if (typeof c.thread_id !== 'string') return null;
  const checkpoint_ns = typeof c.checkpoint_ns === 'string' ? c.checkpoint_ns : '';
  const checkpoint_id = typeof c.checkpoint_id === 'string' ? c.checkpoint_id : undefined;
  const turn = typeof c.turn_id === 'string' ? c.turn_id : undefined;
  return {
    thread_id: c.thread_id,
    checkpoint_ns,
    ...(checkpoint_id ? { checkpoint_id } : {}),
    ...(turn ? { turn } : {}),
  };
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
const slot = (k: Keys) => `${k.thread_id}\u0000${k.checkpoint_ns}`;
const text = (v: unknown) =>
  v && typeof v === 'object' && 'value' in v && typeof v.value === 'function' ? String(v.value('utf8')) : '';

export class LatestOnlyMongoSaver extends MongoDBSaver {
  /**
   * The latest documents a turn (`turn_id`) read per thread, served once more to the same turn unless
   * it wrote meanwhile. Turns on a thread run one at a time (agents/thread-lock.ts), so the read before
   * a run and the run's own read see the same state; another turn always reads the database.
   */
  private readonly reads = new Map<string, Raw>();
  /** Threads whose older pending writes are known to be gone (none seen and none written since). */
  private readonly writesClean = new Map<string, true>();

  /**
   * Deletes every thread whose id matches `pattern` (a deleted account's conversations); returns how
   * many checkpoints went. The package's deleteThread needs each id, and these are known only by shape.
   */
  async forgetThreads(pattern: RegExp): Promise<number> {
    const gone = await this.db
      .collection(this.checkpointCollectionName)
      .deleteMany({ thread_id: { $regex: pattern } });
    await this.db
      .collection(this.checkpointWritesCollectionName)
      .deleteMany({ thread_id: { $regex: pattern } });
    for (const key of [...this.reads.keys(), ...this.writesClean.keys()]) {
      if (pattern.test(key.split('\u0000')[0] ?? '')) {
        this.reads.delete(key);
        this.writesClean.delete(key);
      }
    }
    return gone.deletedCount;
  }

  /** The package's indexes plus one document per thread; returns the errors, like the package. */
  override async setup(): Promise<Error[]> {
    const errors = await super.setup();
    const checkpoints = this.db.collection(this.checkpointCollectionName);
    const unique = () =>
      checkpoints.createIndex(
        { thread_id: 1, checkpoint_ns: 1 },
        { unique: true, name: 'thread_ns_latest_idx' },
      );
    try {
      await unique();
    } catch {
      // Duplicates left by a race before the index existed (MongoDB says 11000, FerretDB an internal
      // error): keep each thread's newest checkpoint and try again.
      const seen = new Set<string>();
      const docs = checkpoints
        .find({}, { projection: { thread_id: 1, checkpoint_ns: 1, checkpoint_id: 1 } })
        .sort({ checkpoint_id: -1 });
      for await (const doc of docs) {
        const key = slot({ thread_id: String(doc.thread_id), checkpoint_ns: String(doc.checkpoint_ns) });
        if (seen.has(key)) await checkpoints.deleteOne({ _id: doc._id });
        seen.add(key);
      }
      await unique().catch((again: unknown) => errors.push(asError(again)));
    }
    return errors;
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const keys = keysOf(config);
    if (!keys) return undefined;
    const base = { thread_id: keys.thread_id, checkpoint_ns: keys.checkpoint_ns };
    const raw = await this.read(base, keys.checkpoint_id, keys.turn);
    if (!raw) return undefined;
    const { doc, writes } = raw;
    const checkpoint_id = String(doc.checkpoint_id);
    const type = String(doc.type);
    const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
      writes.map(
        async (w): Promise<CheckpointPendingWrite> => [
          String(w.task_id),
          String(w.channel),
          await this.serde.loadsTyped(String(w.type), text(w.value)),
        ],
      ),
    );
    const parent = typeof doc.parent_checkpoint_id === 'string' ? doc.parent_checkpoint_id : undefined;
    return {
      config: { configurable: { ...base, checkpoint_id } },
      checkpoint: await this.serde.loadsTyped(type, text(doc.checkpoint)),
      metadata: await this.serde.loadsTyped(type, text(doc.metadata)),
      pendingWrites,
      parentConfig: parent ? { configurable: { ...base, checkpoint_id: parent } } : undefined,
    };
  }

  private async read(base: Keys, checkpointId?: string, turn?: string): Promise<Raw | undefined> {
    const cached = this.reads.get(slot(base));
    this.reads.delete(slot(base));
    if (cached && turn === cached.turn && (!checkpointId || cached.doc.checkpoint_id === checkpointId)) {
      return cached;
    }
    const query = checkpointId ? { ...base, checkpoint_id: checkpointId } : base;
    const [doc] = await this.db
      .collection(this.checkpointCollectionName)
      .find(query)
      .sort('checkpoint_id', -1)
      .limit(1)
      .toArray();
    if (!doc) return undefined;
    const writes = await this.db
      .collection(this.checkpointWritesCollectionName)
      .find({ ...base, checkpoint_id: doc.checkpoint_id })
      .toArray();
    if (writes.length > 0) this.writesClean.delete(slot(base));
    const raw = { doc, writes, turn: turn ?? '' };
    if (turn && !checkpointId) remember(this.reads, slot(base), raw, MAX_READS);
    return raw;
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
  ): Promise<RunnableConfig> {
    const keys = keysOf(config);
    if (!keys) throw new Error('a checkpoint needs a thread_id');
    const base = { thread_id: keys.thread_id, checkpoint_ns: keys.checkpoint_ns };
    this.reads.delete(slot(base));
    const [[type, serialized], [metadataType, serializedMetadata]] = await Promise.all([
      this.serde.dumpsTyped(checkpoint),
      this.serde.dumpsTyped(metadata),
    ]);
    if (type !== metadataType) throw new Error('Mismatched checkpoint and metadata types.');
    // Overwrites the thread's checkpoint (whichever it is, newest id wins on read if several remain).
    await this.db.collection(this.checkpointCollectionName).updateOne(
      base,
      {
        $set: {
          checkpoint_id: checkpoint.id,
          parent_checkpoint_id: keys.checkpoint_id,
          type,
          checkpoint: serialized,
          metadata: serializedMetadata,
          metadata_search: metadata,
        },
      },
      { upsert: true },
    );
    if (!this.writesClean.has(slot(base))) {
      // Pending writes belong to one checkpoint; the older ones are never read again.
      await this.db
        .collection(this.checkpointWritesCollectionName)
        .deleteMany({ ...base, checkpoint_id: { $ne: checkpoint.id } });
      remember(this.writesClean, slot(base), true, MAX_CLEAN);
    }
    return { configurable: { ...base, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const keys = keysOf(config);
    if (keys) {
      this.reads.delete(slot(keys));
      this.writesClean.delete(slot(keys));
    }
    await super.putWrites(config, writes, taskId);
  }

  override async deleteThread(threadId: string): Promise<void> {
    for (const key of [...this.reads.keys()]) if (key.startsWith(`${threadId}\u0000`)) this.reads.delete(key);
    for (const key of [...this.writesClean.keys()])
      if (key.startsWith(`${threadId}\u0000`)) this.writesClean.delete(key);
    await super.deleteThread(threadId);
  }
}
