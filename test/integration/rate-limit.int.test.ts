// The counters behind quotas and link-attempt limits, on the real database the app runs on (the
// embedded FerretDB, or MONGODB_URI): many takes at the same moment get exactly the limit between
// them, and nothing taken or given back is lost.
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/services/rate-limit.ts';
import { createModels, type Models, syncIndexes } from '../../src/storage/models.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';

let db: TestMongo;
let conn: mongoose.Connection;
let models: Models;

beforeAll(async () => {
  db = await startTestMongo();
  conn = await mongoose.createConnection(db.uri).asPromise();
  models = createModels(conn);
  await syncIndexes(models);
});
afterAll(async () => {
  await conn?.close();
  await db?.stop();
});

const WINDOW = { limit: 10, windowMs: 15 * 60_000 };
const AT_ONCE = 40;

describe('rate limiter under concurrency', () => {
  it('counts every one of many adds at the same moment', async () => {
    const limiter = createRateLimiter({ models });
    const counts = await Promise.all(Array.from({ length: AT_ONCE }, () => limiter.add('adds', WINDOW)));
    expect((await limiter.used('adds', WINDOW)).count).toBe(AT_ONCE);
    // Each add saw its own count: no two were told the same number.
    expect(new Set(counts).size).toBe(AT_ONCE);
  });

  it('allows exactly the limit among takes at the same moment, and giving back frees exactly those', async () => {
    const limiter = createRateLimiter({ models });
    const taken = await Promise.all(Array.from({ length: AT_ONCE }, () => limiter.take('takes', WINDOW)));
    const allowed = taken.filter((t) => t.allowed);
    expect(allowed).toHaveLength(WINDOW.limit);
    expect((await limiter.used('takes', WINDOW)).count).toBe(WINDOW.limit);
    await Promise.all(allowed.map((t) => t.release()));
    expect((await limiter.used('takes', WINDOW)).count).toBe(0);
  });

  it('raises a count to at least n while others add to it', async () => {
    const limiter = createRateLimiter({ models });
    await Promise.all([
      ...Array.from({ length: 20 }, () => limiter.add('raised', WINDOW)),
      limiter.raise('raised', WINDOW, 15),
    ]);
    expect((await limiter.used('raised', WINDOW)).count).toBeGreaterThanOrEqual(20);
  });
});
