// The agent's checkpointer: MongoDBSaver keeping only each thread's latest checkpoint. The agent never
// travels back in time, and every checkpoint lookup and upsert on the embedded FerretDB (SQLite backend,
// which does not use secondary indexes) scans the whole collection, so a saver that kept every
// checkpoint got slower with every turn anybody took.
import type { RunnableConfig } from '@langchain/core/runnables';
import type { Checkpoint, CheckpointMetadata } from '@langchain/langgraph';
import { MongoDBSaver } from '@langchain/langgraph-checkpoint-mongodb';

export class LatestOnlyMongoSaver extends MongoDBSaver {
  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
  ): Promise<RunnableConfig> {
    const saved = await super.put(config, checkpoint, metadata);
    const thread_id: unknown = saved.configurable?.thread_id;
    const checkpoint_ns: unknown = saved.configurable?.checkpoint_ns ?? '';
    if (typeof thread_id !== 'string') return saved;
    // Checkpoint ids are time-ordered (uuid6), which is how the saver finds the latest one too.
    const older = { thread_id, checkpoint_ns, checkpoint_id: { $lt: checkpoint.id } };
    await Promise.all([
      this.db.collection(this.checkpointCollectionName).deleteMany(older),
      this.db.collection(this.checkpointWritesCollectionName).deleteMany(older),
    ]);
    return saved;
  }
}
