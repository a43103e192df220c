// Offline edits that take something out: "delete the rsi condition", "drop the macd from the exit",
// "remove the trailing stop", "remove the take profit". An indicator's conditions leave every group
// they are in (the entry, the exit, the short side, or only the side named); a part the strategy
// doesn't have is said back rather than proposed as a change. The stop-loss can't go: every strategy
// has one.
import { ROI_OFF_RATIO, type SignalGroup, type StrategySpec } from '../../src/strategy/spec.ts';

/** A change read from the text; `same` says, after the strategy's name, why nothing changes if it doesn't. */
export type Removal = { patch: Record<string, unknown>; same: string } | { reason: string };

const VERB = '(?:remove|delete|drop|erase|get rid of|take out|take away|no more|no|without)';
const REMOVES = new RegExp(
  String.raw`\b${VERB}\s+(?:the\s+|that\s+|this\s+|its\s+|my\s+|any\s+|all\s+)?(.*)$`,
);

/** "the 5% take profit": the part may be named with its current size. */
const SIZED = String.raw`^(?:\d+(?:\.\d+)?\s*%\s*)?`;
const TAKE_PROFIT = new RegExp(String.raw`${SIZED}(?:take[- ]?profit|tp|roi|profit target|minimal roi)\b`);
const TRAILING = new RegExp(String.raw`${SIZED}trailing(?:[- ]?stop(?:[- ]?loss)?)?\b`);
const STOP = new RegExp(String.raw`${SIZED}(?:stop(?:[- ]?loss)?|stoploss|sl)\b`);
/** "drop the stop to 2%", "take the take profit down to 5%": a new size, so a change, not a removal. */
const NEW_SIZE = /\b(?:to|by|down|up)\s+(?:to\s+)?\d/;

/** Indicator words and the series kinds they stand for. */
const INDICATORS: [RegExp, string[], string][] = [
  [/^rsi\b/, ['rsi'], 'RSI'],
  [/^macd\b/, ['macd'], 'MACD'],
  [/^(?:bollinger(?: bands?)?|bb|bbands?)\b/, ['bollinger'], 'Bollinger'],
  [/^stoch(?:astic)?\b/, ['stochastic'], 'stochastic'],
  [/^adx\b/, ['adx'], 'ADX'],
  [/^atr\b/, ['atr'], 'ATR'],
  [/^cci\b/, ['cci'], 'CCI'],
  [/^mfi\b/, ['mfi'], 'MFI'],
  [/^obv\b/, ['obv'], 'OBV'],
  [/^vwap\b/, ['vwap'], 'VWAP'],
  [/^donchian\b/, ['donchian'], 'Donchian'],
  [/^sma\b/, ['sma'], 'SMA'],
  [/^ema\b/, ['ema'], 'EMA'],
  [/^wma\b/, ['wma'], 'WMA'],
  [/^(?:moving averages?|mas?)\b/, ['sma', 'ema', 'wma'], 'moving-average'],
];

type Side = 'entry' | 'exit';

const mentions = (item: unknown, kinds: string[]) =>
  kinds.some((k) => JSON.stringify(item).includes(`"kind":"${k}"`));

/** The group without the conditions on `kinds`; an inner group left with one condition becomes it. */
function prune(group: SignalGroup, kinds: string[]): { group: Record<string, unknown>; removed: number } {
  const key = 'all' in group ? 'all' : 'any';
  const items = 'all' in group ? group.all : group.any;
  const kept: unknown[] = [];
  let removed = 0;
  for (const item of items) {
    if ('op' in item) {
      if (mentions(item, kinds)) removed++;
      else kept.push(item);
      continue;
    }
    const inner = 'all' in item ? item.all : item.any;
    const left = inner.filter((c) => !mentions(c, kinds));
    removed += inner.length - left.length;
    if (left.length === 1) kept.push(left[0]);
    else if (left.length > 1) kept.push('all' in item ? { all: left } : { any: left });
  }
  return { group: { [key]: kept }, removed };
}

function sidesNamed(object: string): Side[] {
  const entry = /\b(?:entry|entries|enter|buy|buys|long)\b/.test(object);
  const exit = /\b(?:exit|exits|sell|sells)\b/.test(object);
  return entry === exit ? ['entry', 'exit'] : entry ? ['entry'] : ['exit'];
}

function removeIndicator(spec: StrategySpec, object: string, kinds: string[], label: string): Removal {
  const sides = sidesNamed(object);
  const patch: Record<string, unknown> = {};
  let removed = 0;
  for (const side of sides) {
    const pruned = prune(spec[side], kinds);
    removed += pruned.removed;
    patch[side] = pruned.group;
    const entry = pruned.group.all ?? pruned.group.any;
    if (side === 'entry' && Array.isArray(entry) && entry.length === 0 && pruned.removed > 0) {
      return {
        reason: `Removing the ${label} condition would leave the entry with nothing to enter on, so I left it as it is. Say what it should enter on instead, or delete the strategy.`,
      };
    }
  }
  if (spec.short) {
    const short: Record<string, unknown> = { ...spec.short };
    for (const side of sides) {
      const pruned = prune(spec.short[side], kinds);
      removed += pruned.removed;
      short[side] = pruned.group;
    }
    patch.short = short;
  }
  const where = sides.length === 1 ? ` in its ${sides[0]}` : '';
  return removed > 0
    ? { patch, same: '' }
    : { patch: {}, same: `has no ${label} condition${where} to remove` };
}

/** What the text asks to take out, if it asks to take something out that the offline parser knows. */
export function readRemoval(spec: StrategySpec, text: string): Removal | undefined {
  const object = REMOVES.exec(text)?.[1]?.trim();
  if (!object) return undefined;
  const sized = NEW_SIZE.test(object);
  if (TAKE_PROFIT.test(object) && !sized)
    return { patch: { minimalRoi: { '0': ROI_OFF_RATIO } }, same: 'has no take profit' };
  // `undefined` takes the key out of the spec (see proposeEditOffline); it is never stored as a value.
  if (TRAILING.test(object) && !sized)
    return { patch: { trailingStop: undefined }, same: 'has no trailing stop' };
  if (STOP.test(object) && !sized) {
    return {
      reason:
        'Every strategy keeps a stop-loss, so I can\'t remove it; I can change it, for example "make the stop 3%".',
    };
  }
  for (const [word, kinds, label] of INDICATORS) {
    if (word.test(object)) return removeIndicator(spec, object, kinds, label);
  }
  return undefined;
}
