// `gentrade validate-dir DIR`: every *.py in a folder through the validation pipeline, as a chat
// import does it (the core's StrategyValidator over one warm engine server, started once), then a
// summary of what was accepted and traded, accepted with zero trades, and refused by cause. Lines come
// out in file-name order while up to --concurrency files are validated at once.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createStrategyValidator, engineJudge } from '../../freqtrade/strategy-validator.ts';
import { isAppError } from '../errors.ts';
import type { StrategyValidator } from '../strategy/verdict.ts';
import {
  type FileOutcome,
  formatLine,
  formatSummary,
  outcomeOf,
  summarize,
  type TradingMode,
} from './dir-report.ts';
import { type EngineConfig, withServer } from './engine-commands.ts';
import type { Output } from './spec-commands.ts';
import { readStrategyFile } from './strategy-file.ts';
import { EXIT, type ExitCode, UsageError } from './usage.ts';

export type ValidateDirArgs = {
  dir: string;
  json: boolean;
  concurrency: number;
  /** `auto`: futures for a file that says `can_short = True`, spot otherwise. */
  tradingMode: TradingMode | 'auto';
  pairs?: string[];
};

async function strategyFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Symlinks count: a corpus split is often a folder of links.
    names = entries
      .filter((e) => e.name.endsWith('.py') && (e.isFile() || e.isSymbolicLink()))
      .map((e) => e.name);
  } catch (err) {
    throw new UsageError(
      `cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}`,
      'validate-dir',
    );
  }
  if (names.length === 0) throw new UsageError(`${dir} has no .py files`, 'validate-dir');
  return names.sort();
}

async function validateOne(validator: StrategyValidator, args: ValidateDirArgs, name: string) {
  let tradingMode: TradingMode = args.tradingMode === 'futures' ? 'futures' : 'spot';
  try {
    const file = await readStrategyFile(path.join(args.dir, name), 'validate-dir');
    if (args.tradingMode === 'auto' && file.canShort) tradingMode = 'futures';
    const verdict = await validator.validate(file.code, {
      ...(args.pairs ? { pairs: args.pairs } : {}),
      ...(tradingMode === 'futures' ? { tradingMode } : {}),
    });
    return outcomeOf(name, tradingMode, verdict);
  } catch (err) {
    // One file the engine could not judge must not stop the folder; the summary counts it.
    const message = isAppError(err)
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
    const outcome: FileOutcome = { file: name, tradingMode, kind: 'error', message };
    return outcome;
  }
}

/** Runs `work` over `items`, `concurrency` at a time, calling `emit` with the results in the items' order. */
async function ordered<I, T>(
  items: readonly I[],
  concurrency: number,
  work: (item: I) => Promise<T>,
  emit: (result: T) => void,
): Promise<T[]> {
  const results = new Map<number, T>();
  const all: T[] = [];
  let next = 0;
  let printed = 0;
  async function worker(): Promise<void> {
    for (let item = items[next]; item !== undefined; item = items[next]) {
      const index = next++;
      results.set(index, await work(item));
      for (let r = results.get(printed); r !== undefined; r = results.get(printed)) {
        results.delete(printed);
        all.push(r);
        emit(r);
        printed += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
  return all;
}

export async function validateDirCommand(
  ft: EngineConfig,
  args: ValidateDirArgs,
  io: Output,
): Promise<ExitCode> {
  const names = await strategyFiles(args.dir);
  const outcomes = await withServer(
    ft,
    async (server, paths) => {
      // A server that cannot start is one error for the run, not one per file.
      await server.ping();
      const validator = createStrategyValidator({
        judge: engineJudge({ server, datadir: paths.marketDataDir, marketsPath: paths.marketsPath }),
      });
      return ordered(
        names,
        args.concurrency,
        (name) => validateOne(validator, args, name),
        (outcome) => {
          if (!args.json) io.out(`${formatLine(outcome)}\n`);
        },
      );
    },
    args.concurrency,
  );
  const summary = summarize(outcomes);
  if (args.json) {
    io.out(`${JSON.stringify({ dir: args.dir, files: outcomes, summary }, null, 2)}\n`);
  } else {
    io.out(`\n${formatSummary(args.dir, summary)}\n`);
  }
  if (summary.errors > 0) return EXIT.failed;
  return summary.refused > 0 ? EXIT.refused : EXIT.ok;
}
