import { describe, expect, it } from 'vitest';
import { type ButtonAction, decodeAction, encodeAction } from '../../../src/core/button-codec.ts';
import { AppError } from '../../../src/errors.ts';

const id = 'a'.repeat(24);

describe('button codec', () => {
  const actions: ButtonAction[] = [
    { verb: 'help' },
    { verb: 'list' },
    { verb: 'cancel' },
    { verb: 'show', strategyId: id },
    { verb: 'code', strategyId: id },
    { verb: 'del', strategyId: id },
    { verb: 'delok', strategyId: id },
    { verb: 'bt', strategyId: id },
    { verb: 'rerun', backtestId: id },
    { verb: 'bt', strategyId: id, timerange: '20240101-20240701' },
    { verb: 'say', text: 'Create a BTC SMA 20/50 cross strategy on 1h with a 5% stop' },
  ];

  it.each(actions)('round-trips %o within 64 bytes', (action) => {
    const encoded = encodeAction(action);
    expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
    expect(decodeAction(encoded)).toEqual(action);
  });

  it('refuses payloads that would not fit Telegram', () => {
    expect(() => encodeAction({ verb: 'say', text: 'x'.repeat(70) })).toThrow(AppError);
  });

  it('turns unknown or tampered payloads into a clear error', () => {
    for (const bad of ['', 'zz', 'show|nothex', `bt|${id}|2024`, 'del']) {
      expect(() => decodeAction(bad)).toThrow(/expired/);
    }
  });
});
