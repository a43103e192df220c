// Reads what the CLI needs from a strategy file without running it: its code, the strategy class
// name and the timeframe it declares (flags override both), and whether it says it can short.
import { readFile } from 'node:fs/promises';
import { UsageError } from './usage.ts';

export type StrategyFile = {
  code: string;
  className: string | undefined;
  timeframe: string | undefined;
  /** `can_short = True` in a class body: Freqtrade loads such a class only against futures markets. */
  canShort: boolean;
};

const CLASS_RE = /^class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)/gm;
const TIMEFRAME_RE = /^\s+timeframe\s*=\s*["'](\d+[mhdwM])["']/m;
const CAN_SHORT_RE = /^\s+can_short\s*(?::\s*bool\s*)?=\s*True\b/m;

export async function readStrategyFile(file: string, command: string): Promise<StrategyFile> {
  let code: string;
  try {
    code = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, command);
  }
  const classes = [...code.matchAll(CLASS_RE)];
  // Prefer a class that derives from a strategy base; a helper class may come first.
  const strategy = classes.find((m) => /Strategy/.test(m[2] ?? '')) ?? classes[0];
  return {
    code,
    className: strategy?.[1],
    timeframe: TIMEFRAME_RE.exec(code)?.[1],
    canShort: CAN_SHORT_RE.test(code),
  };
}
