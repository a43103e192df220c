// A progress message's edits, counted where Telegram receives them (the Bot API peer on loopback): at
// most one edit every 2 seconds per message, the states in between coalesced to the newest, and the
// last state always shown. Then a real backtest through Telegram, whose message goes through the run's
// phases (loading data, indicators, the backtest loop with Freqtrade's percentage) at that pace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { dmAddress, telegramHarness } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

const PACE_MS = 2_000;

/** The gaps between consecutive edits, as the peer received them. */
const gaps = (edits: { at: number }[]) => edits.slice(1).map((e, i) => e.at - (edits[i]?.at ?? 0));

describe('the pace of progress edits on Telegram', () => {
  let t: TestApp;
  const h = telegramHarness();
  beforeAll(async () => {
    t = await startTestApp();
    await h.start(t);
  }, 120_000);
  afterAll(async () => {
    await h.stop();
    await t?.stop();
  });

  it('edits at most once every 2 s, coalescing to the newest state, and shows the last one', async () => {
    const address = dmAddress('pace');
    const key = 'pace-1';
    await t.app.notifier.notify(address, { text: 'step 0', progress: { key, state: 'queued', paced: true } });
    const [posted] = h.messages().filter((m) => m.text === 'step 0');
    if (!posted) throw new Error('the progress message was not posted');
    // Thirty states over about 4.5 s, as a run reporting often would send them, then the final one.
    const sends: Promise<boolean>[] = [];
    for (let step = 1; step <= 30; step++) {
      sends.push(
        t.app.notifier.notify(address, {
          text: `step ${step}`,
          progress: { key, state: 'running', paced: true },
        }),
      );
      await new Promise((r) => setTimeout(r, 150));
    }
    sends.push(
      t.app.notifier.notify(address, {
        text: 'finished',
        progress: { key, state: 'succeeded', paced: true },
      }),
    );
    await Promise.all(sends);

    const edits = h.peer().edits(posted.id);
    for (const gap of gaps(edits)) expect(gap).toBeGreaterThanOrEqual(PACE_MS);
    // Coalesced: a few edits for thirty-one states, each the newest at its turn, the last the final one.
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(4);
    expect(edits.at(-1)?.text).toBe('finished');
    const steps = edits.slice(0, -1).map((e) => Number(/^step (\d+)$/.exec(e.text)?.[1]));
    expect(steps[0]).toBeGreaterThan(5);
    expect(h.messages().find((m) => m.id === posted.id)?.text).toBe('finished');
  }, 60_000);

  it("posts a fast run's card at once, not after the wait of the phase it replaces", async () => {
    const address = dmAddress('fast');
    const key = 'pace-fast';
    await t.app.notifier.notify(address, { text: 'queued', progress: { key, state: 'queued', paced: true } });
    const [posted] = h.messages().filter((m) => m.text === 'queued');
    if (!posted) throw new Error('the progress message was not posted');
    const postedAt = Date.now();
    // "running" must wait 2 s after the post; the card comes 300 ms later and takes its place.
    const running = t.app.notifier.notify(address, {
      text: 'running',
      progress: { key, state: 'running', paced: true },
    });
    await new Promise((r) => setTimeout(r, 300));
    await t.app.notifier.notify(address, {
      text: 'done',
      progress: { key, state: 'succeeded', paced: true },
    });
    const cardAfter = Date.now() - postedAt;
    await running;
    expect(
      h
        .peer()
        .edits(posted.id)
        .map((e) => e.text),
    ).toEqual(['done']);
    expect(cardAfter).toBeLessThan(PACE_MS - 500);
  }, 60_000);

  it("shows a real backtest's phases, with Freqtrade's percentage, at that pace", async () => {
    await h.command('pacer', 'new', 'BTC SMA 20/50 cross on 5m with a 5% stop');
    await h.command('pacer', 'backtest', 'btc-sma-20-50-5m 20240101-20240901');
    const card = await until(
      'the result card',
      () => h.messages().find((m) => m.images.length > 0 && m.text.startsWith('Backtest: btc-sma-20-50-5m')),
      180_000,
    );
    const progress = h
      .messages()
      .find((m) => m.text.startsWith('Backtest of btc-sma-20-50-5m 20240101-20240901'));
    if (!progress) throw new Error('no progress message');
    const edits = h.peer().edits(progress.id);
    for (const gap of gaps(edits)) expect(gap).toBeGreaterThanOrEqual(PACE_MS);
    expect(edits.some((e) => /: backtesting\.\.\. \d+%$/.test(e.text))).toBe(true);
    // While it ran its message could be cancelled; the card came after, with Run again.
    expect(card.buttons.map((b) => b.label)).toContain('Run again');
  }, 240_000);
});
