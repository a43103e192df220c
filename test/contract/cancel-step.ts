// The adapter contract's cancel step, in a file of its own: a trader presses Cancel on a running
// backtest's progress message, the message says "cancelled", and /cancel then finds nothing left.
import { expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';
import type { AdapterHarness, PeerMessage } from './adapter-contract.ts';

export function cancelStep(h: AdapterHarness, app: () => TestApp): void {
  it('cancels a running backtest from the Cancel button on its progress message', async () => {
    const made = h.messages().length;
    await h.command('u1', 'new', 'BTC SMA 20/50 cross on 5m with a 5% stop');
    await until('the 5m strategy', () =>
      h
        .messages()
        .slice(made)
        .find((m) => m.text.includes('Created btc-sma-20-50-5m')),
    );
    const from = h.messages().length;
    await h.command('u1', 'backtest', 'btc-sma-20-50-5m 20240101-20241231');
    const ofRun = (m: PeerMessage) => m.text.includes('Backtest of btc-sma-20-50-5m 20240101-20241231');
    // A year of 5m candles runs long enough for the press to land while it is queued or running.
    // Where only the newest message's buttons work, a progress line printed meanwhile means again.
    await until('a press of Cancel on its progress message', async () => {
      const live = h
        .messages()
        .slice(from)
        .findLast((m) => ofRun(m) && m.buttons.some((b) => b.label === 'Cancel'));
      if (!live) return false;
      return h.press('u1', live.id, 'Cancel').then(
        () => true,
        () => false,
      );
    });
    await until('the progress message saying cancelled', () =>
      h
        .messages()
        .slice(from)
        .find((m) => ofRun(m) && m.text.endsWith(': cancelled.')),
    );
    const asked = h.messages().length;
    await h.command('u1', 'cancel', '');
    await until('/cancel finding nothing left', () =>
      h
        .messages()
        .slice(asked)
        .find((m) => m.text === 'You have no backtest queued or running.'),
    );
    const t = app();
    const bt = await t.app.models.Backtest.findOne({ strategyName: 'btc-sma-20-50-5m' }).lean();
    expect(bt?.status).toBe('cancelled');
    // Where every trader is one (a terminal), the steps after this one count strategies: tidy up.
    if (bt) await t.app.strategies.remove(bt.ownerId, bt.strategyId.toString());
  });
}
