// "Run again" on an older version's result card runs the version on the card, not the strategy's
// current one, and says so: the real app with FerretDB and the engine, Freqtrade's own result file as
// the witness of which stop-loss ran.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const RANGE = '20240101-20240301';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

/** The stop-loss Freqtrade says it ran, from the stored result file. */
async function stoplossRun(key: string): Promise<number> {
  const bt = await t.app.models.Backtest.findById(key).lean();
  expect(bt?.status, JSON.stringify(bt?.error)).toBe('succeeded');
  const raw = JSON.parse(readFileSync(String(bt?.resultPath), 'utf8'));
  return Object.values<{ stoploss: number }>(raw.strategy)[0]?.stoploss ?? Number.NaN;
}

const rerunOf = (m: OutgoingMessage | undefined) =>
  m?.buttons?.find((b) => b.label === 'Run again' && !b.disabled)?.action;

describe('Run again on an older version', () => {
  it('runs the version on the card and says which version runs', async () => {
    const [created] = await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const name = /^Created ([a-z0-9-]+)\./.exec(created?.text ?? '')?.[1];
    if (!name) throw new Error(`not created: ${created?.text}`);
    const [queued] = await t.send(`/backtest ${name} ${RANGE}`);
    const first = String(queued?.progress?.key);
    const card = await t.waitForFinal(first, 240_000);
    expect(await stoplossRun(first)).toBe(-0.05);

    // Version 2 has a 3% stop; the card still shows version 1's result.
    await t.send(`/edit ${name}`);
    let saved: OutgoingMessage[] = [];
    for (const answer of ['1h', '20, 50', '3', '12%', 'btc']) saved = await t.send(answer);
    expect(saved[0]?.text).toBe(`Saved ${name} as version 2.`);

    const action = rerunOf(card);
    if (!action) throw new Error(`no Run again button on ${JSON.stringify(card)}`);
    const [again, note] = await t.click(action);
    expect(again?.progress?.state).toBe('queued');
    expect(note?.text).toBe(
      `This runs version 1, the version on that card; ${name} is now at version 2. To test version 2: /backtest ${name} ${RANGE}`,
    );
    const second = String(again?.progress?.key);
    const done = await t.waitForFinal(second, 240_000);
    expect(await stoplossRun(second)).toBe(-0.05);
    expect((await t.app.models.Backtest.findById(second).lean())?.strategyVersion).toBe(1);
    expect(done.card?.description).toBe(`BTC/USDT on 1h. Version 1; ${name} is now at version 2.`);

    // Run again on a current version's card says nothing more.
    const [now] = await t.send(`/backtest ${name} ${RANGE}`);
    const third = String(now?.progress?.key);
    const current = await t.waitForFinal(third, 240_000);
    expect(await stoplossRun(third)).toBe(-0.03);
    const more = await t.click(String(rerunOf(current)));
    expect(more).toHaveLength(1);
    expect(more[0]?.text).toMatch(/already (queued|running)|: queued/);
  }, 600_000);
});
