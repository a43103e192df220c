// One suite every chat adapter passes. Each platform supplies a harness that drives its adapter
// through a protocol-level peer on loopback (the platform's own wire format); the suite checks the
// behaviour traders see, identical on every platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/core/commands.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';

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

export type AdapterHarness = {
  platform: string;
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
};

export function runAdapterContract(makeHarness: () => AdapterHarness): void {
  describe('adapter contract', () => {
    let t: TestApp;
    let h: AdapterHarness;
    beforeAll(async () => {
      t = await startTestApp();
      h = makeHarness();
      await h.start(t);
    });
    afterAll(async () => {
      await h?.stop();
      await t?.stop();
    });

    const newMessages = async (from: number, what: string) =>
      until(what, () => (h.messages().length > from ? h.messages().slice(from) : undefined));

    it('registers every core command with the platform', () => {
      expect(h.registeredCommands().sort()).toEqual(COMMANDS.map((c) => c.name).sort());
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

    it('ignores channel chatter and other bots, but answers a mention', async () => {
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

    it('runs a real backtest from a button: one progress message edited in place, then the result card', async () => {
      const card = h.messages().find((m) => m.text.includes('Created btc-sma-20-50-1h'));
      if (!card) throw new Error('no strategy card');
      const before = h.messages().length;
      await h.press('u1', card.id, 'Backtest');
      // The backtest asks for a date range with presets.
      const ask = await until('the date range presets', () =>
        h
          .messages()
          .slice(before)
          .find((m) => m.buttons.some((b) => b.label === '6 months')),
      );
      expect(ask.buttons.map((b) => b.label)).toEqual(
        expect.arrayContaining(['1 month', '3 months', '6 months', '1 year', 'Custom']),
      );
      const mark = h.messages().length;
      await h.press('u1', ask.id, '3 months');
      const done = await until(
        'the finished backtest',
        () =>
          h
            .messages()
            .slice(mark)
            .find((m) => /done/.test(m.text) && m.edits > 0),
        120_000,
      );
      // Queued, running and done are one message, edited.
      const progress = h
        .messages()
        .slice(mark)
        .filter((m) => /Backtest of btc-sma-20-50-1h/.test(m.text));
      expect(progress).toHaveLength(1);
      const result = await until('the result card with its chart', () =>
        h
          .messages()
          .slice(mark)
          .find((m) => m.text.includes('Trades') && m.images.length > 0),
      );
      expect(result.images[0]?.bytes).toBeGreaterThan(1000);
      const bt = await t.app.models.Backtest.findOne({ status: 'succeeded' }).lean();
      // The card's "Trades" field shows Freqtrade's count (whatever markup sits between label and value).
      const trades = Number(bt?.summary?.trades);
      expect(result.text).toMatch(new RegExp(`Trades[^0-9]{0,40}${trades}(?![0-9])`));
      expect(done.text).toContain('done');
    });

    it('sends long code as a file attachment', async () => {
      const card = h.messages().find((m) => m.text.includes('Created btc-sma-20-50-1h'));
      if (!card) throw new Error('no strategy card');
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
  });
}
