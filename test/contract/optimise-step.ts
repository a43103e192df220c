// The contract suite's optimisation step (adapter-contract.ts): on every platform the result card's
// "Optimise" button (or /optimize, where only the newest message's buttons can be pressed) opens the
// form, as a modal where the platform has them and else as questions in the chat, one at a time; the
// list of what can be tuned reaches the chat either way. Submitted with a few epochs, the run ends in
// the optimisation card, whose training and test figures are the stored record's.
import { expect } from 'vitest';
import { OptimisationSchema } from '../../src/backtest/optimise.ts';
import type { TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { until } from '../support/wait.ts';
import type { AdapterHarness, HarnessCapabilities } from './adapter-contract.ts';

const NAME = 'btc-sma-20-50-1h';
// Two months keep the search short; the button's form starts from the latest backtest's range instead.
const RANGE = '20240101-20240301';
const FIELDS = ['tune', 'epochs', 'loss', 'train', 'range'];

export async function optimiseStep(h: AdapterHarness, t: TestApp, can: HarnessCapabilities): Promise<void> {
  const from = h.messages().length;
  const opened = h.modals().length;
  const sent = () => h.messages().slice(from);
  const result = h.messages().findLast((m) => m.buttons.some((b) => b.label === 'Optimise'));
  if (can.olderButtons) expect(result, 'the result card has an "Optimise" button').toBeTruthy();
  if (can.olderButtons && result) await h.press('u1', result.id, 'Optimise');
  else await h.command('u1', 'optimize', `${NAME} ${RANGE}`);

  // A modal's labels are too short for the list: it comes as a message on every platform.
  const list = await until('the list of what can be tuned', () =>
    sent().find((m) => m.text.includes(`Optimise ${NAME}`) && m.text.includes('What it can tune:')),
  );
  expect(list.text).toMatch(/stoploss: /);

  if (can.modals) {
    const modal = await until('the optimisation form as a modal', () => h.modals().slice(opened).at(-1));
    expect(modal.fields.map((f) => f.key)).toEqual(FIELDS);
    // Labels cut to the platform's limit would end in an ellipsis.
    for (const f of modal.fields) expect(f.label).not.toMatch(/…$/);
    expect(modal.fields.find((f) => f.key === 'epochs')?.value).toMatch(/^\d+$/);
    await h.submitModal('u1', { epochs: '5', range: RANGE });
  } else {
    // One question at a time: the next comes only once the one before is answered.
    const answers = ['-', '5', '-', '-', RANGE];
    for (const [i, answer] of answers.entries()) {
      const asked = `Optimise ${NAME} (${i + 1}/${FIELDS.length}):`;
      await until(`question ${i + 1} of the form`, () => sent().find((m) => m.text.includes(asked)));
      const later = `Optimise ${NAME} (${i + 2}/${FIELDS.length}):`;
      expect(sent().some((m) => m.text.includes(later))).toBe(false);
      await h.dm('u1', answer);
    }
  }

  // A long card may come in more than one message; its buttons are on the last.
  const { text, card } = await until(
    'the optimisation card',
    () => {
      const text = sent()
        .map((m) => m.text)
        .join('\n');
      const card = sent().find((m) => m.buttons.some((b) => b.label === 'Save as new version'));
      return card && text.includes(`Optimisation of ${NAME}`) && text.includes('Verdict (our code)')
        ? { text, card }
        : undefined;
    },
    220_000,
  );
  const doc = await withPayload(
    t.app.models,
    await t.app.models.Backtest.findOne({ kind: 'optimise', status: 'succeeded' }).lean(),
  );
  expect(doc?.timerange).toBe(RANGE);
  const o = OptimisationSchema.parse(doc?.optimisation);
  expect(o.settings.epochs).toBe(5);
  expect(o.test, 'a test part was run').toBeTruthy();
  // The card's training | test trade counts are Freqtrade's, as stored (whatever markup sits between).
  expect(text).toContain('Training | test (Freqtrade)');
  expect(text).toMatch(new RegExp(`Trades[^0-9]{0,40}${o.train.trades} \\| ${o.test?.trades}(?![0-9])`));
  expect(card.buttons.map((b) => b.label)).toEqual(
    expect.arrayContaining(['Save as new version', 'Optimise again', 'Show strategy']),
  );
}
