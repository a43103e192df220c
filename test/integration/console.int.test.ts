// The console through the shared adapter contract, its peer a pair of in-memory streams (the steps a
// terminal can't have show as skipped); then `npm start` driven by a script: piped commands run in
// order, the process waits for the backtests they started, prints the results and exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_PLATFORM, createConsoleAdapter } from '../../adapters/console/index.ts';
import { type AdapterHarness, runAdapterContract } from '../contract/adapter-contract.ts';
import { runConsolePiped } from '../support/console-process.ts';
import { type ConsolePeer, createConsolePeer } from '../support/peers/console-peer.ts';

function consoleHarness(): AdapterHarness {
  let peer: ConsolePeer | undefined;
  let running: Promise<void> | undefined;
  const imageDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-console-charts-'));
  const need = () => {
    if (!peer) throw new Error('the console harness is not started');
    return peer;
  };
  const noChannels = () => {
    throw new Error('a terminal has no channels or other bots');
  };
  return {
    platform: CONSOLE_PLATFORM,
    // One person at one terminal: no command list to register, no channels, no other bots; what is
    // printed stays printed, only the newest message's buttons have numbers that work, and a form is
    // asked field by field.
    capabilities: {
      registersCommands: false,
      channels: false,
      editsInPlace: false,
      olderButtons: false,
      modals: false,
    },
    async start(t) {
      peer = createConsolePeer();
      const adapter = createConsoleAdapter({
        conversation: t.app.conversation,
        input: peer.input,
        output: peer.output,
        interactive: false,
        imageDir,
      });
      t.app.notifier.register(CONSOLE_PLATFORM, adapter);
      running = adapter.run();
    },
    async stop() {
      peer?.close();
      await running;
      rmSync(imageDir, { recursive: true, force: true });
    },
    registeredCommands: () => {
      throw new Error('the console registers no commands');
    },
    dm: async (_userId, text) => need().type(text),
    channel: async () => noChannels(),
    fromBot: async () => noChannels(),
    command: async (_userId, name, args) => need().type(`/${name} ${args}`.trim()),
    press: async (_userId, messageId, label) => need().press(messageId, label),
    messages: () => need().messages(),
    modals: () => [],
    submitModal: async () => {
      throw new Error('a terminal has no modals');
    },
  };
}

runAdapterContract(consoleHarness);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-console-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const runPiped = (input: string, env: Record<string, string> = {}) =>
  runConsolePiped(input, { GENTRADE_DATA_DIR: dataDir, FERRETDB_PORT: '0', ...env });

describe('console chat with piped input', () => {
  it('runs /new then /backtest, waits for the result and exits 0', async () => {
    const { code, stdout, stderr } = await runPiped(
      [
        '/new ETH EMA 12/26 cross on 4h with a 4% stop',
        '/backtest eth-ema-12-26-4h 20240101-20240701',
        '/backtest eth-ema-12-26-4h 20240701-20240101',
        '/strategies',
        '',
      ].join('\n'),
    );
    expect(code, stderr).toBe(0);
    const created = stdout.indexOf('Created eth-ema-12-26-4h');
    const queued = stdout.indexOf('[queued] Backtest of eth-ema-12-26-4h 20240101-20240701');
    const refused = stdout.indexOf('ends before it starts');
    const listed = stdout.indexOf('Your strategies:');
    const done = stdout.indexOf('[done] Backtest of eth-ema-12-26-4h 20240101-20240701: done.');
    expect(created).toBeGreaterThanOrEqual(0);
    expect(queued).toBeGreaterThan(created);
    expect(refused).toBeGreaterThan(queued);
    expect(listed).toBeGreaterThan(refused);
    expect(done).toBeGreaterThan(queued);
    expect(stdout).toMatch(/Trades\s+\d+/);
    // The Signals run over two lines, both inside the card's box.
    expect(stdout).toMatch(
      /^\|\s+Signals\s+Enter long when EMA\(12\) crosses above EMA\(26\)\.\n\|\s+Exit long/m,
    );
    expect(stdout).toContain('Figures from Freqtrade.');
  }, 180_000);

  it('keeps what it stored across a restart on the same data folder, printed to $COLUMNS', async () => {
    const { code, stdout } = await runPiped('/show eth-ema-12-26-4h\n', { COLUMNS: '60' });
    expect(code).toBe(0);
    expect(stdout).toContain('eth-ema-12-26-4h (v1)');
    expect(stdout).toMatch(/Latest backtest\s+20240101-20240701: \d+\s+trades/);
    // Inside the card's box, no line passes 60 columns (a chart's path, one word, may).
    const box = stdout.split('\n').filter((l) => /^(?:\||\+--)/.test(l) && !l.includes('chart: '));
    expect(box.length).toBeGreaterThan(3);
    expect(box.filter((l) => l.length > 60)).toEqual([]);
  }, 120_000);
});
