// The agent's memory outlives the bot process: the real bot runs as separate OS processes (npm start's
// entry on piped stdin) against one FerretDB, each killed with SIGKILL mid-conversation. What "it"
// means and a question waiting for its answer come back in the next process from the checkpoint
// alone; nothing survives in memory, since the test's own process holds no app.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllConsoleProcesses, startConsoleProcess } from '../support/console-process.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';

const ETH = 'eth-ema-12-26-4h';
const BTC = 'btc-sma-20-50-1h';

describe('agent memory across bot processes', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    mongo = await startTestMongo();
    client = new MongoClient(mongo.uri);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-restart-'));
    // The database named in the test URI, which startTestMongo owns (and drops on an external server).
    const db = client.db().databaseName;
    env = { MONGODB_URI: mongo.uri, MONGODB_DB: db, GENTRADE_DATA_DIR: dataDir, JOBS_POLL_MS: '200' };
  });
  afterAll(async () => {
    await killAllConsoleProcesses();
    await client?.close();
    await mongo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps "it" and a pending delete through two SIGKILLs', async () => {
    // Process 1: ETH is the newest strategy, but the last command was about BTC: only the checkpoint
    // says "it" is BTC.
    const first = startConsoleProcess(env);
    expect(await first.say('/new BTC SMA 20/50 cross on 1h with a 5% stop')).toContain(`Created ${BTC}`);
    expect(await first.say('ETH EMA 12/26 crossover on 4h with a 3% stop')).toContain(`Created ${ETH}`);
    expect(await first.say(`/show ${BTC}`)).toContain(`+-- ${BTC} (v1)`);
    await first.kill();

    // Process 2: "show it" is still BTC; the delete question is asked, then the process dies unanswered.
    const second = startConsoleProcess(env);
    const shown = await second.say('show it');
    expect(shown).toContain(`+-- ${BTC} (v1)`);
    expect(shown).not.toContain(ETH);
    const asked = await second.say('delete it');
    expect(asked).toContain(`Delete ${BTC}? This cannot be undone.\n[1] Confirm   [2] Cancel`);
    await second.kill();

    // Process 3: the question is still waiting. Something unclear gets it again, its buttons carrying the
    // checkpointed key (a key the checkpoint doesn't hold reads as expired); pressing Confirm deletes BTC,
    // and a late yes finds nothing left to answer.
    const third = startConsoleProcess(env);
    const reasked = await third.say('hmm, what do you think?');
    expect(reasked).toBe(`Delete ${BTC}? This cannot be undone.\n[1] Confirm   [2] Cancel\n`);
    expect(await third.say('1')).toContain(`Deleted ${BTC}.`);
    expect(await third.say('yes')).not.toContain('Deleted');
    expect(await third.end()).toBe(0);

    const strategies = client.db().collection('strategies');
    expect(await strategies.countDocuments({ name: BTC })).toBe(0);
    expect(await strategies.countDocuments({ name: ETH })).toBe(1);
  }, 180_000);
});
