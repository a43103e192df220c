// Help texts and the exit codes the CLI promises: 0 done (accepted), 1 the input or strategy was
// refused, 2 a usage mistake or the engine itself failed.

export const EXIT = { ok: 0, refused: 1, failed: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const HELP: Record<string, string> = {
  main: `Usage: gentrade <command> [options]

Commands:
  validate FILE.py     check a Freqtrade strategy; prints the verdict as JSON
  validate-dir DIR     check every *.py in a folder; one line per file and a summary
  render SPEC.json     print the Python code GenTrade renders for a strategy spec
  backtest FILE.py     backtest a strategy; prints the result summary as JSON
  parse "TEXT"         print the spec the offline parser reads from plain words
  parse-eval FILE      score the offline parser on requests with the facts their writers meant

Run \`gentrade <command> --help\` for a command's options.
Exit codes: 0 done (or accepted), 1 refused (or rejected), 2 usage or engine error.`,
  validate: `Usage: gentrade validate FILE.py [--class NAME] [--pairs P,Q] [--timerange A-B] [--no-smoke]
                        [--lookahead] [--cpu-seconds 20] [--memory-mb 3072] [--timeout 60]

Runs the validation pipeline (static policy, load check in Freqtrade, smoke backtest; with
--lookahead also Freqtrade's lookahead analysis, which takes tens of seconds) and prints
the verdict as JSON: {"accepted": true, ...} or {"accepted": false, "stage", "violations": [...]}.
Limits default to 20 CPU s and 60 s (120 and 180 with --lookahead).
A strategy stopped by a limit is rejected with rule cpu-limit, memory-limit or timeout.
Exits 0 when accepted, 1 when rejected, 2 on a usage or engine error.`,
  'validate-dir': `Usage: gentrade validate-dir DIR [--json] [--concurrency N] [--trading-mode spot|futures|auto]
                            [--pairs P,Q]

Validates every *.py in DIR (not its subfolders) as a chat import does: static policy, load check in
Freqtrade and smoke backtest, through one engine server running N files at once (default 1). Prints
one line per file (TRADED, ZERO trades, REFUSED with stage/rule and the first message, or ERROR when
the engine could not judge it), then the split: accepted and traded, accepted with zero trades,
refused by cause, with counts and percentages. --json prints {"dir", "files", "summary"} instead.
--trading-mode auto validates a file that says "can_short = True" against futures markets (default spot).
Exits 0 when every file was accepted, 1 when some were refused, 2 on a usage or engine error.`,
  'parse-eval': `Usage: gentrade parse-eval FILE.jsonl [--verbose] [--json]

Reads one request per line ({"id", "text", "expect": "strategy"|"question", and the facts the writer
meant: pairs, timeframe, direction, indicators, params, levels, stoploss, takeProfit, maxOpenTrades,
informative}) and prints three counts: parsed as intended, asked a question (the parser's, or the
market list refusing a pair), misread (a strategy contradicting a stated fact, or one where a question
was expected). --verbose lists every request not parsed as intended, with why.
Exits 0 when nothing was misread, 1 otherwise, 2 on a usage error.`,
  render: `Usage: gentrade render SPEC.json [--name NAME]

Prints the Freqtrade strategy GenTrade renders for the spec (the name defaults to the file's name).
Spec errors go to stderr, naming the field; exit 1.`,
  backtest: `Usage: gentrade backtest FILE.py --timerange YYYYMMDD-YYYYMMDD --pairs P,Q [--timeframe 1h] [--class NAME]

Backtests the strategy on the local sample data and prints the summary as JSON (trades, profit,
win rate, drawdown, ...), every figure read from Freqtrade's result. The timeframe defaults to the
strategy's own. The file is validated first (static policy and load, as \`gentrade validate --no-smoke\`):
a refused file prints that verdict as JSON instead. Exits 0 on success, 1 when the file or the run was
refused, 2 on a usage or engine error.`,
  parse: `Usage: gentrade parse "TEXT"

Prints {"name", "spec"} that the offline parser reads from TEXT, e.g.
  gentrade parse "BTC SMA 20/50 cross on 1h with a 5% stop"
When it can't, prints the reason to stderr and exits 1.`,
};

/** A mistake in how the CLI was called: printed with the command's help, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
