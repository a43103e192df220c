// The command list every platform registers from (Discord application commands, Telegram setMyCommands,
// the Slack manifest, the console's /help), so a command added here appears everywhere.

import { AppError } from '../errors.ts';

export type CommandSpec = { name: string; args: string; description: string };

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', args: '', description: 'What I can do, with examples' },
  { name: 'new', args: '<description>', description: 'Create a strategy from a description' },
  { name: 'strategies', args: '', description: 'List your strategies' },
  { name: 'show', args: '<name>', description: 'Show a strategy and its latest result' },
  { name: 'backtest', args: '<name> [YYYYMMDD-YYYYMMDD] [pairs]', description: 'Backtest a strategy' },
  { name: 'cancel', args: '[name]', description: 'Cancel your latest queued or running backtest' },
  {
    name: 'robust',
    args: '<name> [YYYYMMDD-YYYYMMDD] [pairs]',
    description: 'How robust is it? Out of sample, walk-forward, Monte Carlo and a verdict',
  },
  {
    name: 'optimize',
    args: '<name> [YYYYMMDD-YYYYMMDD]',
    description: "Tune its parameters with Freqtrade's hyperopt; training and test figures side by side",
  },
  { name: 'edit', args: '<name>', description: 'Change timeframe, parameters, stop, ROI or pairs' },
  { name: 'compare', args: '<name> <name>', description: 'Compare two strategies side by side' },
  { name: 'diff', args: '<name> [version] [version]', description: 'What changed between two versions' },
  { name: 'delete', args: '<name>', description: 'Delete a strategy (asks first)' },
  { name: 'link', args: '', description: 'Link this chat to your account (same strategies everywhere)' },
  {
    name: 'unlink',
    args: '[platform] [id]',
    description: 'Unlink this chat from your account, or another chat of your account',
  },
  { name: 'whoami', args: '', description: 'Which account this chat is linked to, and its chats' },
];

export type ParsedBacktestArgs = { name: string; timerange?: string; pairs?: string[] };

// A pair as traders type it: BTC, BTC/USDT, btc-usdt, BTCUSDT, ETH/USDT:USDT (futures), $SOL.
const PAIR_SHAPE = /^\$?[A-Za-z0-9]{2,20}(?:[/_:-][A-Za-z0-9]{2,20}){0,2}$/;
// A range or a period: 20240101-20240701, 2024-01-01..2024-07-01, 2024, 2024-2025.
const RANGE_SHAPE = /^\d{4}[\d.\-–]*$/;

/**
 * Arguments with a period typed as cards print it ("2024-01-01 to 2024-07-01", "20240101 to 20240701",
 * "2024-1-1 - 2024-7-1") written as one range token ("2024-01-01..2024-07-01"), not three arguments.
 */
export function joinTypedPeriod(args: string): string {
  return args.replace(
    /(?<![\d-])(\d{8}|\d{4}-\d{1,2}-\d{1,2})\s+(?:to|until|till|-|–|\.\.)\s+(\d{8}|\d{4}-\d{1,2}-\d{1,2})(?![\d-])/g,
    '$1..$2',
  );
}

/**
 * "/backtest name 20240101-20240701 BTC/USDT,ETH/USDT" -> parts. The first date-like argument is the
 * range; every other argument must look like a pair. Anything else (a dash before a date, a JSON object) is
 * refused with a sentence, never read as a pair.
 */
export function parseBacktestArgs(
  args: string,
  command: 'backtest' | 'robust' = 'backtest',
): ParsedBacktestArgs | undefined {
  const tokens = joinTypedPeriod(args).trim().split(/\s+/).filter(Boolean);
  const [name, ...rest] = tokens;
  if (!name) return undefined;
  const out: ParsedBacktestArgs = { name };
  const pairs: string[] = [];
  for (const token of rest) {
    if (RANGE_SHAPE.test(token) && out.timerange === undefined) {
      out.timerange = token;
      continue;
    }
    if (RANGE_SHAPE.test(token)) {
      throw new AppError(
        'BAD_COMMAND',
        `One date range at a time: "${out.timerange}" and "${token}". Usage: /${command} <name> [YYYYMMDD-YYYYMMDD] [pairs], for example /${command} ${name} ${out.timerange} BTC/USDT.`,
      );
    }
    for (const part of token.split(',').filter(Boolean)) {
      if (!PAIR_SHAPE.test(part)) {
        throw new AppError(
          'BAD_COMMAND',
          `"${part}" is neither a date range nor a pair. Usage: /${command} <name> [YYYYMMDD-YYYYMMDD] [pairs], for example /${command} ${name} 20240101-20240701 BTC/USDT,ETH/USDT.`,
        );
      }
      pairs.push(part);
    }
  }
  if (pairs.length > 0) out.pairs = pairs;
  return out;
}
