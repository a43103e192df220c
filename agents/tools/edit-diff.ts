// Says what an edit changes, field by field and in words, so the confirmation question shows exactly
// what will be saved ("entry: SMA(20) crosses above SMA(50) → EMA(20) crosses above EMA(50)"). Values
// come from the two specs; nothing is computed. Fields without a wording of their own fall back to
// /diff's path-by-path lines.

import { describeTrailing } from '../../src/core/cards.ts';
import { specChanges } from '../../src/core/diff.ts';
import { describeGroup } from '../../src/strategy/describe.ts';
import { ROI_OFF_RATIO, type SignalGroup, type StrategySpec } from '../../src/strategy/spec.ts';

const pctOf = (ratio: number) => `${Number((Math.abs(ratio) * 100).toFixed(4))}%`;

function roiText(roi: Record<string, number>): string {
  const targets = Object.entries(roi).filter(([, r]) => r < ROI_OFF_RATIO);
  if (targets.length === 0) return 'none';
  return targets
    .map(([min, r]) => (min === '0' ? `+${pctOf(r)}` : `+${pctOf(r)} after ${min} min`))
    .join(', ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const signals = (group: SignalGroup | undefined) => (group ? describeGroup(group) || 'none' : 'none');

type Field = { key: string; words(spec: StrategySpec): string; label: string; sep?: string };

/** The fields a trader reads in words: "timeframe 1h → 4h", "entry: … → …". */
const FIELDS: Field[] = [
  { key: 'timeframe', label: 'timeframe', words: (s) => s.timeframe },
  { key: 'stoploss', label: 'stop-loss', words: (s) => pctOf(s.stoploss) },
  { key: 'minimalRoi', label: 'take profit', words: (s) => roiText(s.minimalRoi) },
  { key: 'pairs', label: 'pairs', words: (s) => s.pairs.join(', ') },
  { key: 'entry', label: 'entry', sep: ':', words: (s) => signals(s.entry) },
  { key: 'exit', label: 'exit', sep: ':', words: (s) => signals(s.exit) },
  { key: 'short', label: 'short entry', sep: ':', words: (s) => signals(s.short?.entry) },
  { key: 'short', label: 'short exit', sep: ':', words: (s) => signals(s.short?.exit) },
  { key: 'trailingStop', label: 'trailing stop', words: (s) => describeTrailing(s) ?? 'none' },
  { key: 'maxOpenTrades', label: 'max open trades', words: (s) => String(s.maxOpenTrades ?? 'no limit') },
  { key: 'stakeAmount', label: 'stake per trade', words: (s) => String(s.stakeAmount ?? 'default') },
  { key: 'tradingMode', label: 'trading mode', words: (s) => s.tradingMode },
];

export function describeChanges(before: StrategySpec, after: StrategySpec): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    const [was, now] = [f.words(before), f.words(after)];
    if (was !== now) out.push(`${f.label}${f.sep ?? ''} ${was} → ${now}`);
  }
  // A changed field that reads the same in words (a trailing stop's flag, say) still gets a line.
  const worded = new Set(FIELDS.filter((f) => f.words(before) !== f.words(after)).map((f) => f.key));
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of [...keys].sort()) {
    const [was, now] = [Reflect.get(before, k), Reflect.get(after, k)];
    if (worded.has(k) || same(was, now)) continue;
    out.push(...specChanges({ [k]: was }, { [k]: now }));
  }
  return out;
}
