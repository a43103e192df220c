import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineToEvent } from '../../../adapters/console/inbound.ts';
import { createConsoleAdapter } from '../../../adapters/console/index.ts';
import { consoleWidth, renderMessage } from '../../../adapters/console/render.ts';
import type { Conversation } from '../../../src/core/conversation.ts';

const who = {
  address: { platform: 'console', conversationId: 'c', userId: 'u' },
  sender: { platformUserId: 'u', displayName: 'u' },
};

describe('console inbound', () => {
  it('turns slash lines into commands and other text into messages', () => {
    expect(lineToEvent('/backtest s 20240101-20240701', who, [])).toMatchObject({
      kind: 'event',
      event: { kind: 'command', name: 'backtest', args: 's 20240101-20240701' },
    });
    expect(lineToEvent('/help', who, [])).toMatchObject({
      event: { kind: 'command', name: 'help', args: '' },
    });
    expect(lineToEvent('btc sma cross', who, [])).toMatchObject({
      event: { kind: 'message', text: 'btc sma cross' },
    });
    expect(lineToEvent('   ', who, [])).toEqual({ kind: 'none' });
  });

  it('maps a number to the matching button of the last message, as numbered on screen', () => {
    const buttons = [{ action: 'rerun', disabled: true }, { action: 'help' }, { action: 'list' }];
    expect(lineToEvent('3', who, buttons)).toMatchObject({
      event: { kind: 'action', payload: 'list' },
    });
    expect(lineToEvent('1', who, buttons)).toEqual({
      kind: 'local',
      text: "Button 1 can't be used right now.",
    });
    expect(lineToEvent('4', who, buttons)).toEqual({
      kind: 'local',
      text: "There's no button 4. Choose 1 to 3.",
    });
    // After a message without buttons (a form question), a number is an answer.
    expect(lineToEvent('10', who, [])).toMatchObject({ event: { kind: 'message', text: '10' } });
  });
});

describe('console render', () => {
  it('renders cards, progress and numbered buttons as text', () => {
    const text = renderMessage(
      {
        text: 'done',
        progress: { key: 'k', state: 'succeeded' },
        card: { title: 'T', fields: [{ name: 'Trades', value: '3' }], footer: 'F' },
        buttons: [{ label: 'Again', action: 'help' }],
      },
      { showCode: false },
    );
    expect(text).toContain('[done] done');
    expect(text).toContain('Trades  3');
    expect(text).toContain('[1] Again');
  });

  it('keeps a value over several lines, or a long one, inside the box and under its field', () => {
    const risk =
      'stop-loss 5%; trailing stop 2% once up 3%; take profit at +10%, +5% after 60 min; at most 3 open trades';
    const text = renderMessage(
      {
        text: 'Strategy s',
        card: {
          title: 's (v2)',
          description: 'Warning: first line\nsecond line',
          fields: [
            { name: 'Signals', value: 'Enter long when A.\nExit long when B.' },
            { name: 'Risk', value: risk },
          ],
        },
      },
      { showCode: false },
    );
    const box = text.split('\n').slice(1);
    expect(box.every((line) => line.startsWith('|') || line.startsWith('+--'))).toBe(true);
    expect(box.every((line) => line.length <= 100)).toBe(true);
    expect(box).toEqual([
      '+-- s (v2)',
      '|   Warning: first line',
      '|   second line',
      '|   Signals  Enter long when A.',
      '|            Exit long when B.',
      '|   Risk     stop-loss 5%; trailing stop 2% once up 3%; take profit at +10%, +5% after 60 min; at',
      '|            most 3 open trades',
      '+--',
    ]);
  });

  it('fits a card to a narrow terminal, a long title, footer and chart path included', () => {
    const text = renderMessage(
      {
        text: 'Backtest done.',
        card: {
          title: 'Backtest: btc-sma-20-50-1h 20240101-20240701 on BTC/USDT and ETH/USDT',
          fields: [
            {
              name: 'Signals',
              value:
                'Enter long when SMA(20) crosses above SMA(50). Exit long when SMA(20) crosses below SMA(50).',
            },
            { name: 'Trades', value: '50' },
          ],
          image: {
            filename: 'c.png',
            contentType: 'image/png',
            data: Buffer.from(''),
            path: '/data/charts/trader/btc-sma-20-50-1h-20240101-20240701.png',
          },
          footer: 'Starting balance 1000.00 USDT, final 870.11 USDT. Figures from Freqtrade.',
        },
      },
      { showCode: false, width: 60 },
    );
    const box = text.split('\n').slice(1);
    // Only the chart's path may pass the edge: one word, kept whole on its line so it can be copied.
    const over = box.filter((line) => line.length > 60);
    expect(over).toEqual(['|   chart: /data/charts/trader/btc-sma-20-50-1h-20240101-20240701.png']);
    expect(box.every((line) => /^(?:\||\+--| {4})/.test(line))).toBe(true);
    expect(box).toContain('|   Trades   50');
    expect(box.at(-1)).toBe('    Figures from Freqtrade.');
  });

  it('puts long field names on lines of their own, values under them, within the width', () => {
    const text = renderMessage(
      {
        text: 'Robustness',
        card: {
          title: 'How robust: x',
          fields: [
            {
              name: 'Walk-forward: 5 windows, our code on the trade list from Freqtrade',
              value: '3 of 5 windows made money',
            },
            { name: 'Monte Carlo: 1000 reorderings of the trades', value: 'drawdown 95th percentile 21.30%' },
          ],
        },
      },
      { showCode: false, width: 80 },
    );
    const box = text.split('\n').slice(1);
    expect(box.filter((line) => line.length > 80)).toEqual([]);
    expect(box).toContain('|   Walk-forward: 5 windows, our code on the trade list from Freqtrade');
    expect(box).toContain('|     3 of 5 windows made money');
  });

  it('reads the terminal width within bounds, 100 when unknown', () => {
    expect(consoleWidth(undefined)).toBe(100);
    expect(consoleWidth(Number.NaN)).toBe(100);
    expect(consoleWidth(60)).toBe(60);
    expect(consoleWidth(10)).toBe(40);
    expect(consoleWidth(400)).toBe(160);
  });

  it('prints code under its file name', () => {
    const text = renderMessage(
      { text: 'x v1', code: { language: 'python', content: 'print(1)\n', filename: 'X.py' } },
      { showCode: true },
    );
    expect(text).toBe('x v1\n--- X.py ---\nprint(1)\n---');
  });
});

describe('console files', () => {
  it('saves a card\'s file that no "Show code" button prints, and says where', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-console-'));
    let printed = '';
    const output = new Writable({
      write(chunk, _enc, done) {
        printed += String(chunk);
        done();
      },
    });
    const adapter = createConsoleAdapter({
      conversation: { handle: async () => [] } as unknown as Conversation,
      input: Readable.from([]),
      output,
      interactive: false,
      imageDir: dir,
    });
    const code = { language: 'diff', filename: 's-optimised.diff', content: '--- a\n+++ b\n-x\n+y\n' };
    const card = { title: 'Optimisation of s', fields: [] };
    await adapter.deliver(who.address, {
      text: 'done',
      card,
      code,
      buttons: [{ label: 'Save', action: 'x' }],
    });
    const saved = /saved to (\S+)\)/.exec(printed)?.[1] ?? '';
    expect(printed).toContain('(5 lines of diff, saved to ');
    expect(readFileSync(saved, 'utf8')).toBe(code.content);
    // A card with a "Show code" button keeps the button's way.
    printed = '';
    await adapter.deliver(who.address, {
      text: 's',
      card,
      code,
      buttons: [{ label: 'Show code', action: 'y' }],
    });
    expect(printed).toContain('choose "Show code" to print it');
    rmSync(dir, { recursive: true, force: true });
  });
});
