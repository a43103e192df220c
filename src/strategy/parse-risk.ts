// Offline parser, risk part: stop-loss, take-profit and the open-trade cap, all written as percentages
// or counts next to their keyword ("5% stop", "stop loss of 2.5%", "take profit 10%", "max 3 trades").
// A keyword whose number can't be read is refused rather than replaced by a default.
import { fail, percentToRatio, type Scan, takeAll } from './parse-text.ts';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const STOP = String.raw`(trailing\s+)?(?:stop(?:\s*-?\s*loss)?|sl)`;
const TP = String.raw`(?:take\s*-?\s*profit|tp|profit\s+target|profit|target|roi)`;
// "take profit 10% stop 5%": a percentage right after a keyword belongs to that keyword, not the next one.
const NOT_CLAIMED = String.raw`(?<![\d.])(?<!(?:stop|loss|sl|profit|tp|target|roi)\s*(?:of|at|=|:|is)?\s*[-+]?\s*)`;
const STOP_AFTER = new RegExp(String.raw`${NOT_CLAIMED}${NUM}\s*%\s*${STOP}\b`, 'g');
const STOP_BEFORE = new RegExp(String.raw`\b${STOP}\s*(?:of|at|=|:|is)?\s*-?\s*${NUM}\s*%`, 'g');
const STOP_LEFT = /\b(?:stop|stoploss|sl)\b/;

/** Stop-loss as the spec's negative ratio, and whether the text asked for it to trail. */
type StopReading = { percent: number; stoploss: number; trailing: boolean };

function single<T>(values: T[], what: string, show: (v: T) => string): T | undefined {
  const distinct = [...new Set(values.map(show))];
  if (distinct.length > 1) {
    fail(`I found more than one ${what} (${distinct.join(' and ')}); which one do you mean?`);
  }
  return values[0];
}

/** "5% stop", "3% trailing stop", "stop loss of 2.5%", "sl 2%". */
export function readStop(scan: Scan): StopReading | undefined {
  const hits = [
    ...takeAll(scan, STOP_AFTER).map((h) => ({
      percent: Number(h.groups[0]),
      trailing: h.groups[1] !== undefined,
    })),
    ...takeAll(scan, STOP_BEFORE).map((h) => ({
      percent: Number(h.groups[1]),
      trailing: h.groups[0] !== undefined,
    })),
  ];
  if (hits.length === 0 && STOP_LEFT.test(scan.lower)) {
    fail("I couldn't read the stop-loss; write it as a percentage, for example: with a 5% stop.");
  }
  const hit = single(hits, 'stop-loss', (h) => `${h.percent}%${h.trailing ? ' trailing' : ''}`);
  if (hit === undefined) return undefined;
  if (hit.percent < 0.1 || hit.percent > 99) {
    fail(`A stop-loss must be between 0.1% and 99%, not ${hit.percent}%.`);
  }
  return { percent: hit.percent, stoploss: -percentToRatio(hit.percent), trailing: hit.trailing };
}

const TP_AFTER = new RegExp(String.raw`${NOT_CLAIMED}${NUM}\s*%\s*${TP}\b`, 'g');
const TP_BEFORE = new RegExp(String.raw`\b${TP}\s*(?:of|at|=|:|is)?\s*\+?\s*${NUM}\s*%`, 'g');
const TP_LEFT = /\b(?:take\s*-?\s*profit|tp|profit\s+target|roi)\b/;

/** Take-profit as a ratio: "take profit 10%", "10% tp", "profit target of 8%". */
export function readTakeProfit(scan: Scan): number | undefined {
  const percents = [
    ...takeAll(scan, TP_AFTER).map((h) => Number(h.groups[0])),
    ...takeAll(scan, TP_BEFORE).map((h) => Number(h.groups[0])),
  ];
  if (percents.length === 0 && TP_LEFT.test(scan.lower)) {
    fail("I couldn't read the take-profit; write it as a percentage, for example: take profit 10%.");
  }
  const percent = single(percents, 'take-profit', (p) => `${p}%`);
  if (percent === undefined) return undefined;
  if (percent < 0.1 || percent > 900) fail(`A take-profit must be between 0.1% and 900%, not ${percent}%.`);
  return percentToRatio(percent);
}

const TRADES = String.raw`(?:open\s+)?(?:trades|positions)`;
const MAX_TRADES = [
  new RegExp(String.raw`\bmax(?:imum)?\s*(?:of\s+)?(\d+)\s*${TRADES}\b`, 'g'),
  new RegExp(String.raw`\bmax(?:imum)?\s*${TRADES}\s*(?:of|=|:)?\s*(\d+)\b`, 'g'),
  /\b(\d+)\s*open\s+(?:trades|positions)\b/g,
];

/** Cap on simultaneous trades: "max 3 trades", "max open trades 5", "2 open positions". */
export function readMaxOpenTrades(scan: Scan): number | undefined {
  const counts = MAX_TRADES.flatMap((pattern) => takeAll(scan, pattern).map((h) => Number(h.groups[0])));
  const count = single(counts, 'trade limit', String);
  if (count === undefined) return undefined;
  if (count < 1 || count > 100) fail(`The number of open trades must be 1 to 100, not ${count}.`);
  return count;
}

/** Any percentage no reader claimed is refused: guessing what "10%" meant could change the strategy. */
export function refuseStrayPercent(scan: Scan): void {
  const stray = /(\d+(?:\.\d+)?)\s*%/.exec(scan.lower);
  if (stray) {
    fail(
      `I'm not sure what ${stray[1]}% means here; say "a ${stray[1]}% stop" or "take profit ${stray[1]}%".`,
    );
  }
}
