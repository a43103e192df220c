// `npx gentrade <validate|validate-dir|render|backtest|parse>`: GenTrade's strategy engine from the command line,
// for traders who script and for checking the pipeline from outside. Results go to stdout as JSON
// (code for `render`); sentences for humans go to stderr.
import { parseArgs } from 'node:util';
import type { EngineLimits } from '../../freqtrade/client/protocol.ts';
import { loadConfig } from '../config.ts';
import { isAppError } from '../errors.ts';
import { createMarketCatalog } from '../services/market-catalog.ts';
import { backtestCommand, validateCommand } from './engine-commands.ts';
import { parseEvalCommand } from './parse-eval.ts';
import { type Output, parseCommand, renderCommand } from './spec-commands.ts';
import { EXIT, type ExitCode, HELP, UsageError } from './usage.ts';
import { validateDirCommand } from './validate-dir.ts';

const io: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  class: { type: 'string' },
  pairs: { type: 'string' },
  timerange: { type: 'string' },
  timeframe: { type: 'string' },
  name: { type: 'string' },
  'no-smoke': { type: 'boolean' },
  lookahead: { type: 'boolean' },
  'cpu-seconds': { type: 'string' },
  'memory-mb': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
  'trading-mode': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const TRADING_MODES = ['spot', 'futures', 'auto'] as const;

function tradingMode(value: string | undefined, command: string): (typeof TRADING_MODES)[number] {
  if (value === undefined) return 'spot';
  const mode = TRADING_MODES.find((m) => m === value);
  if (!mode) throw new UsageError('--trading-mode must be spot, futures or auto', command);
  return mode;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

function positive(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a whole number above 0`, command);
  return n;
}

function limitFlags(values: Record<string, unknown>, command: string): EngineLimits | undefined {
  const text = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const cpuSeconds = positive(text('cpu-seconds'), '--cpu-seconds', command);
  const memoryMb = positive(text('memory-mb'), '--memory-mb', command);
  const timeoutSeconds = positive(text('timeout'), '--timeout', command);
  if (cpuSeconds === undefined && memoryMb === undefined && timeoutSeconds === undefined) return undefined;
  return {
    ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
  };
}

function only<T>(value: T | undefined, flag: string, command: string): T {
  if (value === undefined) throw new UsageError(`${command} needs ${flag}`, command);
  return value;
}

async function run(argv: string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(`${HELP.main}\n`);
    return command === undefined ? EXIT.failed : EXIT.ok;
  }
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command "${command}"`, 'main');
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), command);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${HELP[command]}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one argument`, command);
  const target = only(positionals[0], 'an argument', command);
  if (command === 'parse') return parseCommand(target, io);
  if (command === 'render') return renderCommand(target, values.name, io);
  const ft = loadConfig(process.env).freqtrade;
  if (command === 'parse-eval') {
    const markets = new Set(
      createMarketCatalog({
        marketsPath: only(ft.marketsPath, 'the markets snapshot (run npm run bootstrap)', command),
        dataDir: only(ft.marketDataDir, 'the market data (run npm run bootstrap)', command),
        quote: 'USDT',
      }).pairs(),
    );
    return parseEvalCommand(
      target,
      { markets, verbose: values.verbose === true, json: values.json === true },
      io,
    );
  }
  if (command === 'validate-dir') {
    const pairs = list(values.pairs);
    return validateDirCommand(
      ft,
      {
        dir: target,
        json: values.json === true,
        concurrency: positive(values.concurrency, '--concurrency', command) ?? 1,
        tradingMode: tradingMode(values['trading-mode'], command),
        ...(pairs ? { pairs } : {}),
      },
      io,
    );
  }
  if (command === 'validate') {
    const limits = limitFlags(values, command);
    return validateCommand(
      ft,
      {
        file: target,
        smoke: !values['no-smoke'],
        lookahead: values.lookahead === true,
        ...(values.class ? { className: values.class } : {}),
        ...(list(values.pairs) ? { pairs: list(values.pairs) } : {}),
        ...(values.timerange ? { timerange: values.timerange } : {}),
        ...(limits ? { limits } : {}),
      },
      io,
    );
  }
  const pairs = only(list(values.pairs), '--pairs P,Q', command);
  return backtestCommand(
    ft,
    {
      file: target,
      pairs,
      timerange: only(values.timerange, '--timerange YYYYMMDD-YYYYMMDD', command),
      ...(values.timeframe ? { timeframe: values.timeframe } : {}),
      ...(values.class ? { className: values.class } : {}),
    },
    io,
  );
}

async function main(): Promise<ExitCode> {
  try {
    return await run(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`gentrade: ${err.message}\n\n${HELP[err.command] ?? HELP.main}`);
      return EXIT.failed;
    }
    if (isAppError(err)) {
      io.err(`gentrade: ${err.userMessage}`);
      if (err.message !== err.userMessage) io.err(`  (${err.message})`);
      return err.code === 'SPEC_INVALID' || err.code === 'PARSE_FAILED' ? EXIT.refused : EXIT.failed;
    }
    io.err(`gentrade: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.failed;
  }
}

process.exitCode = await main();
