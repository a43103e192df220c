import { describe, expect, it } from 'vitest';
import { COMMANDS, parseBacktestArgs } from '../../../src/core/commands.ts';

describe('commands', () => {
  it('lists the foundation commands with descriptions', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'help',
      'new',
      'strategies',
      'show',
      'backtest',
      'cancel',
      'robust',
      'optimize',
      'edit',
      'compare',
      'diff',
      'delete',
      'link',
      'unlink',
      'whoami',
    ]);
    for (const c of COMMANDS) expect(c.description.length).toBeGreaterThan(5);
  });

  it('splits backtest arguments into name, range and pairs', () => {
    expect(parseBacktestArgs('my-strat')).toEqual({ name: 'my-strat' });
    expect(parseBacktestArgs('s 20240101-20240701')).toEqual({ name: 's', timerange: '20240101-20240701' });
    expect(parseBacktestArgs('s 20240101-20240701 BTC/USDT,ETH/USDT sol')).toEqual({
      name: 's',
      timerange: '20240101-20240701',
      pairs: ['BTC/USDT', 'ETH/USDT', 'sol'],
    });
    expect(parseBacktestArgs('   ')).toBeUndefined();
  });

  it('reads a period as the cards print it', () => {
    expect(parseBacktestArgs('s 2024-01-01 to 2024-07-01 ETH')).toEqual({
      name: 's',
      timerange: '2024-01-01..2024-07-01',
      pairs: ['ETH'],
    });
  });

  it.each([
    ['s 20240101 to 20240701', '20240101..20240701'],
    ['s 2024-1-1 to 2024-7-1', '2024-1-1..2024-7-1'],
    ['s 2024-01-01 - 2024-07-01', '2024-01-01..2024-07-01'],
  ])('joins the period in "%s"', (args, timerange) => {
    expect(parseBacktestArgs(args)).toEqual({ name: 's', timerange });
  });

  it('refuses a second range with a sentence, not as a pair', () => {
    expect(() => parseBacktestArgs('s 20240101-20240201 20240301-20240401')).toThrow(
      'One date range at a time: "20240101-20240201" and "20240301-20240401".',
    );
  });
});
