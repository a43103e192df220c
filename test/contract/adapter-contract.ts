// One suite every chat adapter passes. Each platform supplies a harness that drives its adapter
// through a protocol-level peer on loopback (the platform's own wire format); the suite checks the
// behaviour traders see, identical on every platform. A step that has no meaning on a platform (a
// terminal has no channels and can't edit what it printed) is skipped, visibly, by a capability flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/core/commands.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { until } from '../support/wait.ts';
import { cancelStep } from './cancel-step.ts';
import { optimiseStep } from './optimise-step.ts';
import { robustnessStep } from './robustness-step.ts';

/** A message as the peer saw the bot send or edit it, in platform-neutral terms. */
export type PeerMessage = {
  id: string;
  chatId: string;
  text: string;
  buttons: { label: string; payload: string; disabled?: boolean }[];
  /** How many times the bot edited this message after sending it. */
  edits: number;
  images: { filename: string; bytes: number }[];
  files: { filename: string; bytes: number }[];
};

/** What the platform can do at all. A step needing a missing capability shows as skipped, never passes. */
export type HarnessCapabilities = {
  /** The platform keeps a list of the bot's commands (application commands, setMyCommands, manifest). */
  registersCommands: boolean;
  /** Group channels with mentions, and other bots that can write to ours. */
  channels: boolean;
  /** A sent message can be edited in place; without, each progress state is a message of its own. */
  editsInPlace: boolean;
  /** Buttons on any earlier message can be pressed; without, only the newest message's buttons. */
  olderButtons: boolean;
  /**
   * A card's image shows in the card's own message; without, the image is a message of its own next
   * to the card in the same chat (Slack: a file share can't carry the card's buttons, and an edit
   * can't add an image, so the chart is shared just before a new card or just after an edited one).
   */
  imageInCard: boolean;
  /** A form opens as a modal (Discord, Slack); without, the core asks its fields one by one in the chat. */
  modals: boolean;
};

/** A form the bot opened as a modal, as the peer saw it. */
export type PeerForm = {
  title: string;
  /** The submit action the form carries (Discord's custom_id, Slack's callback_id). */
  submit: string;
  fields: { key: string; label: string; value: string }[];
};

const FULL: HarnessCapabilities = {
  registersCommands: true,
  channels: true,
  editsInPlace: true,
  olderButtons: true,
  imageInCard: true,
  modals: true,
};

export type AdapterHarness = {
  platform: string;
  /** What the platform lacks; every capability left out is there. */
  capabilities?: Partial<HarnessCapabilities>;
  /** Starts the peer and the adapter against the app (register the adapter's sink on app.notifier). */
  start(t: TestApp): Promise<void>;
  stop(): Promise<void>;
  /** Commands the adapter registered with the platform on start. */
  registeredCommands(): string[];
  /** A user writes in a direct message. */
  dm(userId: string, text: string): Promise<void>;
  /** A user writes in a group channel; `mention` addresses the bot. */
  channel(userId: string, text: string, opts: { mention: boolean }): Promise<void>;
  /** Another bot writes in a direct message to our bot. */
  fromBot(text: string): Promise<void>;
  /** A user runs a slash command. */
  command(userId: string, name: string, args: string): Promise<void>;
  /** A user presses the button labelled `label` on message `messageId`. */
  press(userId: string, messageId: string, label: string): Promise<void>;
  /** Everything the bot sent so far, in order, with edits applied. */
  messages(): PeerMessage[];
  /** Every form the bot opened as a modal so far, in order (none where `modals` is false). */
  modals(): PeerForm[];
  /** User `userId` submits the last modal opened for them; fields left out keep their prefilled value. */
  submitModal(userId: string, values: Record<string, string>): Promise<void>;
};

export function runAdapterContract(makeHarness: () => AdapterHarness): void {
  describe('adapter contract', () => {
    let t: TestApp;
    // Made now, started in beforeAll: its capabilities decide which steps run.
    const h = makeHarness();
    const can: HarnessCapabilities = { ...FULL, ...h.capabilities };
    beforeAll(async () => {
      t = await startTestApp();
      await h.start(t);
    });
    afterAll(async () => {
      await h.stop();
      await t?.stop();
    });

    const newMessages = async (from: number, what: string) =>
      until(what, () => (h.messages().length > from ? h.messages().slice(from) : undefined));
    const isProgress = (m: PeerMessage) => /Backtest of btc-sma-20-50-1h/.test(m.text);

    /**
     * The strategy card to press a button on: the one the agent sent or, where only the newest
     * message's buttons can be pressed, the same card brought back with /show.
     */
    async function strategyCard(): Promise<PeerMessage> {
      if (can.olderButtons) {
        const card = h.messages().find((m) => m.text.includes('Created btc-sma-20-50-1h'));
        if (!card) throw new Error('no strategy card');
        return card;
      }
      const before = h.messages().length;
      await h.command('u1', 'show', 'btc-sma-20-50-1h');
      return until('the strategy card from /show', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.buttons.some((b) => b.label === 'Show code')),
      );
    }

    it.skipIf(!can.registersCommands)('registers every core command with the platform', async () => {
      // Registered in the background once the bot serves chats, so a failing menu never holds it back.
      const names = await until(
        'the command menu',
        () => h.registeredCommands().length > 0 && h.registeredCommands(),
      );
      expect(names.sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    });

    it('answers /help with the commands and suggestion buttons', async () => {
      const before = h.messages().length;
      await h.command('u1', 'help', '');
      const [reply] = await newMessages(before, 'the help reply');
      expect(reply?.text).toContain('/backtest');
      expect(reply?.buttons.length).toBeGreaterThan(0);
    });

    it('sends free text in a DM to the agent, which creates the strategy', async () => {
      const before = h.messages().length;
      await h.dm('u1', 'BTC SMA 20/50 cross on 1h with a 5% stop');
      const created = await until('the created strategy', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.text.includes('Created btc-sma-20-50-1h')),
      );
      expect(created.buttons.map((b) => b.label)).toEqual(expect.arrayContaining(['Backtest', 'Delete']));
    });

    it.skipIf(!can.channels)('ignores channel chatter and other bots, but answers a mention', async () => {
      const before = h.messages().length;
      await h.channel('u2', 'anyone watching BTC today?', { mention: false });
      await h.fromBot('/help');
      // A mention sent after them is a sentinel: once it is answered, anything the ignored
      // messages had caused would be there too, so exactly one reply means they were ignored.
      await h.channel('u2', 'help', { mention: true });
      const [reply] = await newMessages(before, 'a reply to the mention');
      expect(reply?.text).toContain('/backtest');
      await new Promise((r) => setTimeout(r, 300));
      expect(h.messages().slice(before)).toHaveLength(1);
    });

    // Where the backtest's messages start, for the steps after the press.
    let mark = -1;

    it('starts a real backtest from a button, asking for a date range with presets', async () => {
      const card = await strategyCard();
      const before = h.messages().length;
      await h.press('u1', card.id, 'Backtest');
      const ask = await until('the date range presets', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.buttons.some((b) => b.label === '6 months')),
      );
      expect(ask.buttons.map((b) => b.label)).toEqual(
        expect.arrayContaining(['1 month', '3 months', '6 months', '1 year', 'Custom']),
      );
      mark = h.messages().length;
      await h.press('u1', ask.id, '3 months');
    });

    it.skipIf(!can.editsInPlace)(
      'shows queued, running and done as one message, edited in place',
      async () => {
        expect(mark).toBeGreaterThanOrEqual(0);
        const done = await until(
          'the progress message edited to done',
          () =>
            h
              .messages()
              .slice(mark)
              .find((m) => /done/.test(m.text) && m.edits > 0),
          110_000,
        );
        expect(done.text).toContain('done');
        expect(h.messages().slice(mark).filter(isProgress)).toHaveLength(1);
      },
    );

    it.skipIf(can.editsInPlace)('without edits, shows the progress states in order', async () => {
      expect(mark).toBeGreaterThanOrEqual(0);
      const progress = await until(
        'the done progress message',
        () => {
          const shown = h.messages().slice(mark).filter(isProgress);
          return shown.some((m) => /done/.test(m.text)) ? shown : undefined;
        },
        110_000,
      );
      // "running" may come before "queued" (left out as stale), and as several phases, a line each.
      const states = progress.map((m) => (/: queued\./.test(m.text) ? 0 : /: done\./.test(m.text) ? 2 : 1));
      expect(states.filter((s) => s !== 1)).toEqual(states[0] === 0 ? [0, 2] : [2]);
      expect(states.every((s, i) => i === 0 || s >= Number(states[i - 1]))).toBe(true);
      expect(progress.every((m) => m.edits === 0)).toBe(true);
    });

    it("sends the result card with its chart and Freqtrade's trade count", async () => {
      expect(mark).toBeGreaterThanOrEqual(0);
      // The result card, and the message its chart is in: the card's own, or its neighbour in the chat.
      const withChart = (sent: PeerMessage[]) => {
        for (const [at, card] of sent.entries()) {
          if (!card.text.includes('Trades')) continue;
          const inChat = (m: PeerMessage) => m.chatId === card.chatId;
          const next = [sent.slice(0, at).findLast(inChat), sent.slice(at + 1).find(inChat)];
          const chart = can.imageInCard ? card : next.find((m) => m?.images.length);
          if (chart?.images.length) return { card, chart };
        }
        return undefined;
      };
      const { card: result, chart } = await until(
        'the result card with its chart',
        () => withChart(h.messages().slice(mark)),
        110_000,
      );
      expect(chart.images[0]?.bytes).toBeGreaterThan(1000);
      const bt = await withPayload(
        t.app.models,
        await t.app.models.Backtest.findOne({ status: 'succeeded' }).lean(),
      );
      // The card's "Trades" field shows Freqtrade's count (whatever markup sits between label and value).
      const trades = Number(bt?.summary?.trades);
      expect(result.text).toMatch(new RegExp(`Trades[^0-9]{0,40}${trades}(?![0-9])`));
    });

    cancelStep(h, () => t);
    it('shows the robustness report and its chart', () => robustnessStep(h, t, can), 240_000);
    it('opens the optimisation form, submits it and shows the card', () => optimiseStep(h, t, can), 240_000);
    it('sends long code as a file attachment', async () => {
      const card = await strategyCard();
      const before = h.messages().length;
      await h.press('u1', card.id, 'Show code');
      const withFile = await until('the code file', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.files.some((f) => f.filename.endsWith('.py'))),
      );
      expect(withFile.files[0]?.bytes).toBeGreaterThan(500);
    });

    // Last: it deletes the strategy the steps above use. Replies are found by what they say, not by
    // being the first new message: a platform that serves events concurrently may order them freely.
    it('asks before deleting: keeping leaves the strategy, confirming deletes it', async () => {
      const reply = async (act: () => Promise<void>, what: string, match: (m: PeerMessage) => boolean) => {
        const before = h.messages().length;
        await act();
        return until(what, () => h.messages().slice(before).find(match));
      };
      const confirmButton = (m: PeerMessage) => m.buttons.find((b) => /^Delete\b/.test(b.label));
      const keepButton = (m: PeerMessage) => m.buttons.find((b) => /\bkeep\b/i.test(b.label));
      const askToDelete = async () => {
        const card = await strategyCard();
        return reply(
          () => h.press('u1', card.id, 'Delete'),
          'the delete confirmation',
          (m) => confirmButton(m) !== undefined && keepButton(m) !== undefined,
        );
      };
      const strategyList = () =>
        reply(
          () => h.command('u1', 'strategies', ''),
          'the strategy list',
          (m) => /Your strategies:|no strategies yet/.test(m.text),
        );

      const ask = await askToDelete();
      expect(ask.text).toContain('btc-sma-20-50-1h');
      await reply(
        () => h.press('u1', ask.id, keepButton(ask)?.label ?? 'Keep'),
        'the answer to keeping it',
        (m) => /nothing was changed/i.test(m.text),
      );
      expect((await strategyList()).text).toContain('btc-sma-20-50-1h');

      const again = await askToDelete();
      await reply(
        () => h.press('u1', again.id, confirmButton(again)?.label ?? 'Delete'),
        'the deletion',
        (m) => /deleted btc-sma-20-50-1h/i.test(m.text),
      );
      const after = await strategyList();
      expect(after.text).not.toContain('btc-sma-20-50-1h');
      expect(after.text).toContain('no strategies yet');
    });

    it('makes a strategy from the bare example "Create Bitcoin SMA cross strategy" in one step', async () => {
      const before = h.messages().length;
      await h.dm('u9', 'Create Bitcoin SMA cross strategy');
      const created = await until('the created strategy', () =>
        h
          .messages()
          .slice(before)
          .find((m) => /Created btc-sma-20-50-1h\b/.test(m.text) || /\?\s*$/.test(m.text)),
      );
      expect(created.text).toMatch(/Created btc-sma-20-50-1h/);
      expect(created.buttons.map((b) => b.label)).toEqual(expect.arrayContaining(['Backtest', 'Edit']));
    });
  });
}
