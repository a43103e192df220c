// Offline edits: the simple changes a trader types ("make the stop 3%", "change to 4h", "take profit 8%",
// "add SOL", "use EMA instead", "only enter when RSI is under 30", "delete the rsi condition") applied to
// a copy of the spec. The result is a candidate only: the caller passes it through validateSpec. A change
// the strategy already has is said back ("already runs on 4h"), never proposed as one. Written against
// the spec's public types so it keeps working as the spec language grows.
import { type Condition, type StrategySpec, TIMEFRAMES, type Timeframe } from '../../src/strategy/spec.ts';
import { readRemoval } from './edit-remove.ts';

/**
 * An edit read offline. `unchanged` lists what the text asked for that the strategy already is, each
 * said after its name ("already runs on 4h"); with no change at all, the candidate is the spec as it was.
 */
export type EditProposal =
  | { ok: true; candidate: Record<string, unknown>; unchanged: string[] }
  | { ok: false; reason: string };

const NEEDS_MODEL =
  'That change needs a language model (set OPENAI_API_KEY). Without one I can change the stop, the timeframe, the take profit, the pairs, swap SMA and EMA, add an RSI condition ("only enter when RSI is under 30"), or remove a condition, the take profit or the trailing stop.';
const PCT = String.raw`(\d+(?:\.\d+)?)\s*%`;
const UNIT: Record<string, string> = {
  m: 'm',
  min: 'm',
  minute: 'm',
  h: 'h',
  hr: 'h',
  hour: 'h',
  d: 'd',
  day: 'd',
};
const COIN = /\b(btc|eth|sol|bnb|xrp|ada|doge|dot|avax|link|ltc|trx)(?:\/([a-z]{3,5}))?\b/gi;
const MA_KINDS = ['sma', 'ema', 'wma'];

const isTimeframe = (t: string): t is Timeframe => TIMEFRAMES.some((x) => x === t);

function readTimeframe(text: string): Timeframe | undefined {
  const words: Record<string, string> = { hourly: '1h', daily: '1d', 'four hour': '4h', 'one hour': '1h' };
  for (const [w, tf] of Object.entries(words)) if (text.includes(w)) return isTimeframe(tf) ? tf : undefined;
  const m = /\b(\d{1,2})\s*-?\s*(m|min|minute|h|hr|hour|d|day)s?\b(?!\s*%)/.exec(text);
  const tf = m ? `${m[1]}${UNIT[m[2] ?? ''] ?? ''}` : '';
  return isTimeframe(tf) ? tf : undefined;
}

/** Every object with an MA `kind` gets the new kind; the rest of the structure is kept as is. */
function swapMovingAverages(value: unknown, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => swapMovingAverages(v, to));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = swapMovingAverages(v, to);
  if (typeof out.kind === 'string' && MA_KINDS.includes(out.kind)) out.kind = to;
  return out;
}

function coins(text: string, quote: string): string[] {
  return [...text.matchAll(COIN)].map(
    (m) => `${(m[1] ?? '').toUpperCase()}/${(m[2] ?? quote).toUpperCase()}`,
  );
}

function editPairs(spec: StrategySpec, text: string): string[] | undefined {
  const quote = spec.pairs[0]?.split('/')[1] ?? 'USDT';
  const named = coins(text, quote);
  if (named.length === 0) return undefined;
  if (/\b(remove|drop|without|exclude)\b/.test(text)) return spec.pairs.filter((p) => !named.includes(p));
  if (/\b(add|also|plus|include)\b/.test(text)) return [...new Set([...spec.pairs, ...named])];
  if (/\b(pairs?|trade|switch|change|use|only)\b/.test(text)) return [...new Set(named)];
  return undefined;
}

const hasMovingAverage = (spec: StrategySpec) => /"kind":"(?:sma|ema|wma)"/.test(JSON.stringify(spec));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type Added = { patch: Record<string, unknown>; same: string } | { reason: string };

/** "only enter when RSI(14) is under 30" -> a condition appended to that side's group, unless it is there. */
function addRsiCondition(spec: StrategySpec, text: string): Added | undefined {
  const m =
    /\b(?:only\s+)?(enter|buy|go long|exit|sell)\s+(?:when|if|once)\s+(?:the\s+)?rsi(?:\s*\(?\s*(\d{1,3})\s*\)?)?\s+(?:is\s+)?(under|below|less than|lower than|above|over|greater than|higher than)\s+(\d+(?:\.\d+)?)/.exec(
      text,
    );
  if (!m) return undefined;
  const side = m[1] === 'exit' || m[1] === 'sell' ? 'exit' : 'entry';
  const op = /under|below|less|lower/.test(m[3] ?? '') ? 'below' : 'above';
  const period = Number(m[2] ?? 14);
  const condition: Condition = { op, left: { kind: 'rsi', period }, right: Number(m[4]) };
  const group = spec[side];
  const already = `already has RSI(${period}) ${op} ${m[4]} in its ${side}`;
  if ('all' in group) {
    if (group.all.some((item) => same(item, condition))) return { patch: {}, same: already };
    return { patch: { [side]: { all: [...group.all, condition] } }, same: already };
  }
  // An any-group keeps its alternatives and gains the new condition next to them.
  if (group.any.every((item) => 'op' in item))
    return { patch: { [side]: { all: [{ any: group.any }, condition] } }, same: already };
  return {
    reason: 'That strategy combines its conditions in nested groups; changing them needs a language model.',
  };
}

/** Applies every simple change the text names; fails with a sentence when it names none. */
export function proposeEditOffline(spec: StrategySpec, input: string): EditProposal {
  const text = input.toLowerCase();
  let next: Record<string, unknown> = { ...spec };
  let changed = false;
  const unchanged: string[] = [];
  // A patch that leaves every field as it is changes nothing: `already` says so instead.
  const set = (patch: Record<string, unknown>, already: string) => {
    if (Object.entries(patch).every(([k, v]) => same(Reflect.get(spec, k), v))) {
      if (already) unchanged.push(already);
      return;
    }
    // A part taken out (`undefined` in the patch) leaves no key behind: stored, it would become null.
    next = Object.fromEntries(Object.entries({ ...next, ...patch }).filter(([, v]) => v !== undefined));
    changed = true;
  };

  // First: "remove the 3% stop" takes the stop out; it doesn't set it to 3%.
  const removal = readRemoval(spec, text);
  if (removal && 'reason' in removal) return { ok: false, reason: removal.reason };

  const stop =
    new RegExp(String.raw`(?<!trailing[- ]?)\b(?:stop(?:[- ]?loss)?|sl)\b[^\d%]{0,25}?${PCT}`).exec(text) ??
    new RegExp(String.raw`${PCT}\s*(?:stop|sl)\b`).exec(text);
  if (stop) set({ stoploss: -Number(stop[1]) / 100 }, `already has a ${stop[1]}% stop`);

  if (removal) set(removal.patch, removal.same);
  else {
    const tp =
      new RegExp(String.raw`\b(?:take[- ]?profit|tp|roi|target)\b[^\d%]{0,25}?${PCT}`).exec(text) ??
      new RegExp(String.raw`${PCT}\s*(?:take[- ]?profit|tp|profit target|target)\b`).exec(text);
    if (tp) set({ minimalRoi: { '0': Number(tp[1]) / 100 } }, `already takes profit at +${tp[1]}%`);
  }

  const tf = readTimeframe(text);
  if (tf) set({ timeframe: tf }, `already runs on ${tf}`);

  const ma =
    /\b(sma|ema|wma)\b[^.]*\binstead\b/.exec(text) ??
    /\b(?:switch|change|swap|convert)\b[^.]*?\b(?:sma|ema|wma)s?\b\s*(?:to|for|into|with)\s*(sma|ema|wma)\b/.exec(
      text,
    ) ??
    /\b(?:use|switch to)\s+(?:an?\s+)?(sma|ema|wma)s?\b/.exec(text);
  if (ma?.[1]) {
    const kind = ma[1].toUpperCase();
    if (hasMovingAverage(spec)) set(swapSignals(spec, ma[1]), `already uses ${kind}`);
    else unchanged.push(`has no moving averages to switch to ${kind}`);
  }

  const pairs = editPairs(spec, text);
  if (pairs) set({ pairs }, `already trades ${pairs.join(', ')}`);

  const rsi = addRsiCondition(spec, text);
  if (rsi && 'reason' in rsi) return { ok: false, reason: rsi.reason };
  if (rsi) set(rsi.patch, rsi.same);

  if (changed) return { ok: true, candidate: next, unchanged };
  if (unchanged.length > 0) return { ok: true, candidate: { ...spec }, unchanged };
  return { ok: false, reason: NEEDS_MODEL };
}

function swapSignals(spec: StrategySpec, to: string): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    entry: swapMovingAverages(spec.entry, to),
    exit: swapMovingAverages(spec.exit, to),
  };
  if (spec.short) patch.short = swapMovingAverages(spec.short, to);
  return patch;
}
