// Engine and strategy text as a chat user sees it: capped, without control characters or escape
// sequences, without the machine's paths.
import { describe, expect, it } from 'vitest';
import { USER_TEXT_LIMITS, userText } from '../../../freqtrade/user-text.ts';

const ESC = '\x1b';
// Every kind of control a hostile message might carry, C0, C1 and the bidirectional overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('userText', () => {
  it('caps a 300 KB message with terminal escape codes and paths to a few clean lines', () => {
    const line = `${ESC}[31;1mred${ESC}[0m ${ESC}]0;pwned title${ESC}\\ at /root/.cache/gentrade/venv/lib/python3.12/site-packages/freqtrade/x.py and /tmp/gentrade-validate-abc/strategy.py \u202eevil${ESC}[2J${ESC}c\r\n`;
    const huge = `ValueError: ${line.repeat(Math.ceil(300_000 / line.length))}`;
    expect(huge.length).toBeGreaterThan(300_000);
    const shown = userText(huge);
    expect(Array.from(shown).length).toBeLessThanOrEqual(USER_TEXT_LIMITS.chars);
    expect(shown.split('\n').length).toBeLessThanOrEqual(USER_TEXT_LIMITS.lines);
    expect(shown).not.toMatch(CONTROL);
    expect(shown).not.toContain(ESC);
    expect(shown).not.toContain('pwned');
    expect(shown).not.toMatch(/\/root|\/tmp|\.cache|site-packages/);
    expect(shown.startsWith('ValueError: red  at x.py and strategy.py evil\nred')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('replaces the data, cache, engine and home folders, keeping a file name', () => {
    const text = [
      'File "/home/alice/gentrade/freqtrade/engine/gentrade_engine/backtest/run.py", line 12',
      "No such file or directory: '/root/.cache/gentrade/marketdata-09e0e432ef50/binance'",
      'cannot open /work/main/data/ferretdb/state.sqlite (~/secrets/key.pem)',
    ].join('\n');
    expect(userText(text)).toBe(
      [
        'File "run.py", line 12',
        "No such file or directory: '<path>'",
        'cannot open state.sqlite (key.pem)',
      ].join('\n'),
    );
  });

  it('leaves pairs, ratios, dates and ordinary sentences alone', () => {
    const text = 'No data for BTC/USDT:USDT on 1h; 1/2 of 2024/01/01 and/or ETH/USDT. Try again.';
    expect(userText(text)).toBe(text);
  });

  it('keeps at most five lines, drops blank ones and says it cut', () => {
    const text = ['one', '', 'two', '   ', 'three', 'four', 'five', 'six'].join('\n');
    expect(userText(text)).toBe(['one', 'two', 'three', 'four', 'five…'].join('\n'));
    expect(userText('a\tb\r\nc\rd')).toBe('a b\nc\nd');
  });

  it('never splits a character in two when it cuts', () => {
    const shown = userText('😀'.repeat(1000));
    expect(Array.from(shown)).toHaveLength(USER_TEXT_LIMITS.chars);
    expect(shown.endsWith('😀…')).toBe(true);
  });
});
