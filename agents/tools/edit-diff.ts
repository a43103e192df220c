// Says what an edit changes, field by field, so the confirmation question shows exactly what will be
// saved. Values come from the two specs; nothing is computed.
import { ROI_OFF_RATIO, type StrategySpec } from '../../src/strategy/spec.ts';

const pctOf = (ratio: number) => `${Number((Math.abs(ratio) * 100).toFixed(4))}%`;

function roiText(roi: Record<string, number>): string {
  const targets = Object.entries(roi).filter(([, r]) => r < ROI_OFF_RATIO);
  if (targets.length === 0) return 'none';
  return targets
    .map(([min, r]) => (min === '0' ? `+${pctOf(r)}` : `+${pctOf(r)} after ${min} min`))
    .join(', ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function describeChanges(before: StrategySpec, after: StrategySpec): string[] {
  const out: string[] = [];
  if (before.timeframe !== after.timeframe) out.push(`timeframe ${before.timeframe} -> ${after.timeframe}`);
  if (before.stoploss !== after.stoploss)
    out.push(`stop-loss ${pctOf(before.stoploss)} -> ${pctOf(after.stoploss)}`);
  if (!same(before.minimalRoi, after.minimalRoi))
    out.push(`take profit ${roiText(before.minimalRoi)} -> ${roiText(after.minimalRoi)}`);
  if (!same(before.pairs, after.pairs))
    out.push(`pairs ${before.pairs.join(', ')} -> ${after.pairs.join(', ')}`);
  if (!same(before.entry, after.entry)) out.push('entry conditions changed');
  if (!same(before.exit, after.exit)) out.push('exit conditions changed');
  const covered = new Set(['timeframe', 'stoploss', 'minimalRoi', 'pairs', 'entry', 'exit']);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (covered.has(k)) continue;
    if (!same(Reflect.get(before, k), Reflect.get(after, k))) out.push(`${k} changed`);
  }
  return out;
}
