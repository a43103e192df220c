// The database a bench runs against: the MongoDB URI given on the command line, or an embedded FerretDB
// of its own under `dir` (built by the bootstrap).
import path from 'node:path';
import type { Config } from '../../src/config.ts';
import { startFerretDb } from '../../src/storage/ferretdb.ts';

export async function benchDatabase(
  config: Config,
  dir: string,
  given: string | undefined,
): Promise<{ uri: string; stop: () => Promise<void> }> {
  const ferret =
    given || !config.mongo.ferretdbBin
      ? undefined
      : await startFerretDb({ bin: config.mongo.ferretdbBin, dataDir: path.join(dir, 'db') });
  const uri = given ?? ferret?.uri;
  if (!uri) throw new Error('give a MongoDB URI or run node scripts/bootstrap.mjs first');
  return { uri, stop: async () => ferret?.stop() };
}
