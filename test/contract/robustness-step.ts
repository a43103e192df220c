// The contract suite's robustness step (adapter-contract.ts): on every platform the result card's
// "How robust?" button (or /robust, where only the newest message's buttons can be pressed) brings the
// report's card and its chart into the chat.
import { expect } from 'vitest';
import { z } from 'zod';
import type { TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { until } from '../support/wait.ts';
import type { AdapterHarness, HarnessCapabilities } from './adapter-contract.ts';

export async function robustnessStep(h: AdapterHarness, t: TestApp, can: HarnessCapabilities): Promise<void> {
  const from = h.messages().length;
  const result = h.messages().findLast((m) => m.buttons.some((b) => b.label === 'How robust?'));
  // Where only the newest message's buttons can be pressed, the command asks for the same report.
  if (can.olderButtons) expect(result, 'the result card has a "How robust?" button').toBeTruthy();
  if (can.olderButtons && result) await h.press('u1', result.id, 'How robust?');
  else await h.command('u1', 'robust', 'btc-sma-20-50-1h');
  // A long card may come in more than one message (Telegram's caption limit), its chart in one of them.
  const { text, chart } = await until(
    'the robustness card with its chart',
    () => {
      const sent = h.messages().slice(from);
      const chart = sent.find((m) => m.images.length > 0);
      const text = sent.map((m) => m.text).join('\n');
      return chart && text.includes('Bias checks') ? { text, chart } : undefined;
    },
    200_000,
  );
  expect(chart.images[0]?.bytes).toBeGreaterThan(1000);
  const doc = await withPayload(
    t.app.models,
    await t.app.models.Backtest.findOne({ kind: 'robustness', status: 'succeeded' }).lean(),
  );
  const word = z.object({ verdict: z.object({ word: z.string() }) }).parse(doc?.robustness).verdict.word;
  expect(text).toContain(`Verdict: ${word}`);
  expect(text).toMatch(/Out of sample[\s\S]*Walk-forward[\s\S]*Monte Carlo[\s\S]*Bias checks/);
}
