// Offline parser, exits that depend on profit and time: a trailing stop that starts once the trade is in
// profit ("trailing stop 2% after 3% profit") and a take-profit table over time ("take profit 5% after 30
// minutes", "tp 10%, 5% after 1 hour"). Read before the plain stop and take-profit readers, so "after 30
// minutes" is a table entry here rather than a fixed holding time.

import { NUM } from './terms.ts';
import { fail, percentToRatio, type Scan, takeAll } from './text.ts';

const TRAIL = String.raw`\btrail(?:ing)?(?:\s*stop(?:\s*-?\s*loss)?)?\s*(?:of\s+)?`;
const ONCE = String.raw`(?:after|once|when|from|starting\s+(?:at|from)|activat\w*\s+(?:at|after)|after\s+reaching)`;
const IN_PROFIT = String.raw`(?:(?:we(?:'re)?|it(?:'s)?|price\s+is|the\s+trade\s+is|trade\s+is)\s+)?(?:up\s+|in\s+profit\s+(?:by\s+)?)?\+?`;
const PROFIT_START = String.raw`${ONCE}\s+${IN_PROFIT}${NUM}\s*%(?:\s+(?:profit|gain|up|in\s+profit))?`;
const TRAILING = new RegExp(String.raw`${TRAIL}${NUM}\s*%\s*${PROFIT_START}`, 'g');
// "a 2% trailing stop after 1% profit": the distance first.
const TRAILING_AFTER = new RegExp(
  String.raw`${NUM}\s*%\s*trail(?:ing)?(?:\s*stop(?:\s*-?\s*loss)?)?\s*,?\s*${PROFIT_START}`,
  'g',
);

/** Trailing stop that activates at a profit: Freqtrade's trailing_stop_positive and its offset. */
export type TrailingOffset = { positive: number; offset: number; onlyOffsetIsReached: true };

/** "trailing stop 2% after 3% profit", "trail 1.5% once up 4%", "2% trailing stop once 3% in profit". */
export function readTrailingOffset(scan: Scan): TrailingOffset | undefined {
  const hits = [...takeAll(scan, TRAILING), ...takeAll(scan, TRAILING_AFTER)];
  if (hits.length > 1) fail('I found more than one trailing stop; which one do you mean?');
  const hit = hits[0];
  if (hit === undefined) return undefined;
  const distance = Number(hit.groups[0]);
  const start = Number(hit.groups[1]);
  if (!(start > distance)) {
    fail(
      `A trailing stop of ${distance}% must start at a profit above ${distance}%, or it would close the trade at a loss; you wrote ${start}%.`,
    );
  }
  return { positive: percentToRatio(distance), offset: percentToRatio(start), onlyOffsetIsReached: true };
}

const TP = String.raw`\b(?:take\s*-?\s*profit|tp|roi|profit\s+target|target)`;
const AFTER = String.raw`(?:after|from|past)\s+(\d+)\s*(minutes?|mins?|m|hours?|hrs?|hr|h|days?|d)\b`;
const ENTRY = String.raw`${NUM}\s*%(?:\s*${AFTER})?`;
const LIST = String.raw`${ENTRY}(?:\s*(?:,|and|then|;)?\s*${ENTRY})*`;
const TABLE = new RegExp(String.raw`${TP}\s*(?:of|at|:|=)?\s*(${LIST})`, 'g');
const ITEM = new RegExp(ENTRY, 'g');

function minutes(count: number, unit: string): number {
  if (unit.startsWith('h')) return count * 60;
  if (unit.startsWith('d')) return count * 1440;
  return count;
}

/** A take-profit table when some target has a time ("take profit 5% after 30 minutes"), else undefined. */
export function readRoiTable(scan: Scan): Record<string, number> | undefined {
  const timed = [...scan.lower.matchAll(TABLE)].filter((m) => /\b(?:after|from|past)\b/.test(m[1] ?? ''));
  if (timed.length === 0) return undefined;
  if (timed.length > 1) fail('I found more than one take-profit table; write the targets in one list.');
  const hit = takeAll(scan, new RegExp(String.raw`${TP}\s*(?:of|at|:|=)?\s*(?:${LIST})`, 'g'))[0];
  const text = timed[0]?.[1] ?? '';
  const roi: Record<string, number> = {};
  for (const m of text.matchAll(ITEM)) {
    const key = m[2] === undefined ? '0' : String(minutes(Number(m[2]), m[3] ?? 'm'));
    if (roi[key] !== undefined)
      fail(`I found two take-profit targets at ${key} minutes; which one do you mean?`);
    roi[key] = percentToRatio(Number(m[1]));
  }
  return hit === undefined ? undefined : roi;
}
