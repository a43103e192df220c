import { describe, expect, it } from 'vitest';
import { type Action, decodeAction, encodeAction } from '../../../src/core/actions.ts';
import { AppError } from '../../../src/errors.ts';

const id = 'a'.repeat(24);

describe('button codec', () => {
  const actions: Action[] = [
    { name: 'help' },
    { name: 'list' },
    { name: 'cancel' },
    { name: 'show', strategyId: id },
    { name: 'code', strategyId: id },
    { name: 'delete', strategyId: id },
    { name: 'deleteConfirm', strategyId: id },
    { name: 'backtest', strategyId: id },
    { name: 'rerun', backtestId: id },
    { name: 'backtest', strategyId: id, timerange: '20240101-20240701' },
    { name: 'say', text: 'Create a BTC SMA 20/50 cross strategy on 1h with a 5% stop' },
  ];

  it.each(actions)('round-trips %o within 64 bytes', (action) => {
    const encoded = encodeAction(action);
    expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
    expect(decodeAction(encoded)).toEqual(action);
  });

  it('never builds a payload that would not decode', () => {
    expect(() => encodeAction({ name: 'say', text: '' })).toThrow(AppError);
    expect(() => encodeAction({ name: 'show', strategyId: 'a|b' })).toThrow(AppError);
  });

  it('refuses payloads that would not fit Telegram', () => {
    expect(() => encodeAction({ name: 'say', text: 'x'.repeat(70) })).toThrow(AppError);
  });

  it('turns unknown or tampered payloads into a clear error', () => {
    for (const bad of ['', 'zz', 'show|nothex', `bt|${id}|2024`, 'del']) {
      expect(() => decodeAction(bad)).toThrow(/expired/);
    }
  });
});
