// The database going away under a running bot: FerretDB is stopped and started again on its port.
// While it is down a command gets a sentence saying storage is unavailable and whether the request was
// kept (never the generic "something went wrong"); a request made then is not half-stored; a read
// made while the database restarts is answered once it is back; and the bot carries on afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFerretDb } from '../../src/storage/ferretdb.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ferretDbBinFromManifest } from '../support/ferretdb.ts';
import { telegramHarness } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

type Db = Awaited<ReturnType<typeof startFerretDb>>;
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-outage-db-'));
const appDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-outage-app-'));
let db: Db;
let t: TestApp;
const tg = telegramHarness();

const startDb = (port?: number) =>
  startFerretDb({ bin: ferretDbBinFromManifest(), dataDir: dbDir, ...(port ? { port } : {}) });

beforeAll(async () => {
  db = await startDb();
  t = await startTestApp(
    { GENTRADE_ROLE: 'bot' },
    { takeOver: { mongoUri: `${db.uri}gentrade_outage`, dataDir: appDir, dbName: 'gentrade_outage' } },
  );
  await tg.start(t);
});
afterAll(async () => {
  await tg.stop();
  await t?.stop({ keepStore: true });
  await db?.stop();
  rmSync(dbDir, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

const first = async (text: string) => (await t.send(text))[0]?.text ?? '';

describe('the database stopped and started under the bot', () => {
  it('says storage is unavailable and that nothing was kept, then carries on when it is back', async () => {
    expect(await first('/new BTC SMA 20/50 cross on 1h with a 5% stop')).toMatch(
      /^Created btc-sma-20-50-1h\./,
    );
    const port = db.port;
    await db.stop();

    const read = await first('/strategies');
    expect(read).toMatch(/^Storage is unavailable right now \(ref [^)]+\), so I couldn't do that\./);
    expect(read).toContain('Nothing was saved or queued');
    expect(read).not.toMatch(/something went wrong/i);
    const write = await first('/new ETH EMA 9/21 cross on 4h');
    expect(write).toMatch(/^Storage is unavailable right now/);
    expect(write).toContain('Nothing was saved or queued, so please send it again in a minute.');
    expect(t.logs.some((l) => l.msg === 'storage unavailable')).toBe(true);

    db = await startDb(port);
    const list = await until('the bot answering from the database again', async () => {
      const text = await first('/strategies');
      return text.startsWith('Storage is unavailable') ? null : text;
    });
    // The strategy asked for while the database was down was not half-stored.
    expect(list).toContain('btc-sma-20-50-1h');
    expect(await t.app.models.Strategy.countDocuments({})).toBe(1);
    expect(await first('/new ETH EMA 9/21 cross on 4h')).toMatch(/^Created /);
  });

  it('tells a Telegram chat, through the real adapter, that storage is unavailable', async () => {
    await tg.command('tess', 'strategies', '');
    const port = db.port;
    await db.stop();
    const before = tg.messages().length;
    await tg.command('tess', 'new', 'ETH EMA 9/21 cross on 4h');
    const said = tg
      .messages()
      .slice(before)
      .map((m) => m.text);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Storage is unavailable right now \(ref [^)]+\), so I couldn't do that\./);
    db = await startDb(port);
    await until('the bot answering from the database again', async () => {
      const from = tg.messages().length;
      await tg.command('tess', 'strategies', '');
      const text = tg.messages().slice(from)[0]?.text ?? '';
      return text && !text.startsWith('Storage is unavailable') ? text : null;
    });
  });

  it('answers a read sent while the database restarts once it is back', async () => {
    const port = db.port;
    await db.stop();
    const answer = t.send('/strategies');
    await new Promise((r) => setTimeout(r, 300));
    db = await startDb(port);
    const text = (await answer)[0]?.text ?? '';
    expect(text).not.toMatch(/^Storage is unavailable/);
    expect(text).toContain('btc-sma-20-50-1h');
  });
});
