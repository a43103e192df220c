// A machine without the OS sandbox, through the real app and the real engine server started with
// `serve --isolation off` (a test-only argument: the engine then reports isolated=false, reason
// "turned off", as it would on macOS or where namespaces are forbidden). Pasted code is refused with
// the sentence naming the Docker runner, and so is a backtest of custom code stored earlier; /help
// and the start say so; a strategy made from a description is still checked, saved and backtested.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSandbox } from '../../src/core/sandbox.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const NOTICE =
  'Strategy code runs without the OS sandbox here (turned off); pasted strategies are refused. Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation.';
const GOLDEN = readFileSync(path.resolve('test/fixtures/golden/BtcSma20501h.py'), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { test: { engineServeArgs: ['--isolation', 'off'] } });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('an engine without the OS sandbox', () => {
  it('is announced at start, in the log and on the terminal', async () => {
    const printed: string[] = [];
    const logs: { msg: string; reason?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    await announceSandbox(t.app.sandbox, { logger, print: (line) => printed.push(line) });
    expect(printed).toEqual([`gentrade: warning: ${NOTICE}`]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: NOTICE, reason: 'turned off' }));
  }, 120_000);

  it('refuses a pasted strategy with the sentence, saves nothing, and says so in /help', async () => {
    const [reply, ...rest] = await t.send(`Import this:\n\`\`\`python\n${GOLDEN}\`\`\``);
    expect(rest).toEqual([]);
    expect(reply?.text).toBe(
      "I can't import pasted strategies here: strategy code runs without the OS sandbox on this machine (turned off), so pasted code is refused and nothing was saved. Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation. Strategies made from a description still work.",
    );
    expect(await t.app.models.Strategy.countDocuments()).toBe(0);
    const [help] = await t.send('/help');
    expect(help?.text.split('\n').filter((line) => line.includes('sandbox'))).toEqual([NOTICE]);
  }, 120_000);

  it('still checks, saves and backtests a strategy made from a description', async () => {
    const [created] = await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const name = /^Created (\S+)\./.exec(created?.text ?? '')?.[1];
    if (!name) throw new Error(`not created: ${created?.text}`);
    const [queued] = await t.send(`/backtest ${name} 20240101-20240401`);
    const key = queued?.progress?.key;
    if (!key) throw new Error(`not queued: ${queued?.text}`);
    const final = await t.waitForFinal(key, 300_000);
    expect(final.progress?.state).toBe('succeeded');
    expect(final.card?.title).toBe(`Backtest: ${name} 20240101-20240401`);
  }, 360_000);

  it('refuses to backtest custom code stored before the sandbox went away', async () => {
    const identity = await t.app.models.PlatformIdentity.findOne({ platformUserId: 'alice' }).lean();
    if (!identity) throw new Error('alice has not spoken yet');
    await t.app.strategies.createCustom(identity.userId, {
      name: 'pasted-earlier',
      description: 'Imported Freqtrade strategy BtcSma20501h',
      className: 'BtcSma20501h',
      code: GOLDEN,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
    });
    const before = await t.app.models.Backtest.countDocuments();
    const [reply] = await t.send('/backtest pasted-earlier 20240101-20240401');
    expect(reply?.text).toBe(
      "I can't backtest pasted-earlier here: it is pasted code, and strategy code runs without the OS sandbox on this machine (turned off). Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation. Strategies made from a description still work.",
    );
    expect(await t.app.models.Backtest.countDocuments()).toBe(before);
  }, 120_000);
});
