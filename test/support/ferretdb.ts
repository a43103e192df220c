// A private MongoDB-compatible database for one test file: a fresh FerretDB in a temp dir on a
// free port, or, when MONGODB_URI points at a real server, a uniquely named database on it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { startFerretDb } from '../../src/storage/ferretdb.ts';

export type TestMongo = {
  /** Connection string with the database name in its path, so `client.db()` needs no argument. */
  uri: string;
  stop(): Promise<void>;
};

const TEST_DB = 'gentrade_test';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const ManifestSchema = z.object({ ferretdbBin: z.string().nullable() });

/** The FerretDB binary the bootstrap built, or a clear error telling how to get one. */
export function ferretDbBinFromManifest(): string {
  const file = path.join(repoRoot, '.gentrade', 'bootstrap.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run node scripts/bootstrap.mjs (or npm test, which runs it first)`);
  }
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (!manifest.ferretdbBin) {
    throw new Error(
      `${file} has no ferretdbBin (the bootstrap ran with MONGODB_URI set): set MONGODB_URI for the tests too, or unset it and run node scripts/bootstrap.mjs`,
    );
  }
  return manifest.ferretdbBin;
}

export async function startTestMongo(): Promise<TestMongo> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const uri = withDatabase(external, `${TEST_DB}_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    return {
      uri,
      async stop() {
        const client = new MongoClient(uri);
        try {
          await client.db().dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-ferretdb-'));
  try {
    const db = await startFerretDb({ bin: ferretDbBinFromManifest(), dataDir });
    return {
      uri: withDatabase(db.uri, TEST_DB),
      async stop() {
        await db.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Puts `db` in the path of a MongoDB connection string, keeping hosts and options. String surgery
 * because `mongodb://h1:1,h2:2/` seed lists are not valid WHATWG URLs.
 */
function withDatabase(uri: string, db: string): string {
  const schemeEnd = uri.indexOf('://');
  if (schemeEnd < 0) throw new Error(`not a MongoDB connection string: ${uri}`);
  const queryStart = uri.indexOf('?', schemeEnd);
  const beforeQuery = queryStart < 0 ? uri : uri.slice(0, queryStart);
  const query = queryStart < 0 ? '' : uri.slice(queryStart);
  const pathStart = beforeQuery.indexOf('/', schemeEnd + 3);
  const hosts = pathStart < 0 ? beforeQuery : beforeQuery.slice(0, pathStart);
  return `${hosts}/${db}${query}`;
}
