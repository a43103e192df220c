// MongoDB's (and FerretDB's) answer to an insert or update that a unique index refuses. Several
// services lean on it to settle races (the first to insert wins), so it is told apart in one place.
const DUPLICATE_KEY = 11000;

/** True when `err` is a unique-index violation. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === DUPLICATE_KEY;
}

/**
 * Runs an upsert, and once more if it lost a race: two upserts of one new key both insert on
 * FerretDB (and can on MongoDB), and the loser fails on the key. Run again, it finds the document
 * and updates it.
 */
export async function upsertRacing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}
