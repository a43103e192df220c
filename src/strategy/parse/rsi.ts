// Offline parser, RSI part: "RSI(14) below 30 ... above 70", "rsi 30/70", "oversold 25 overbought 75",
// "RSI crosses above 30". Which side (entry or exit) a level belongs to comes from the "buy" or "sell" in
// its clause; without one, the lower level opens the trade (the usual mean-reversion reading).

import type { Series } from '../spec.ts';
import { ABOVE_WORDS, BELOW_WORDS, type Comparison, directionOf, type Signals } from './signals.ts';
import { fail, type Hit, type Scan, sideAt, takeAll, takeNumbers } from './text.ts';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const RSI = String.raw`(?:rsi|relative\s+strength(?:\s+index)?)`;
const CMP_START = String.raw`(?:is\s+)?(?:${ABOVE_WORDS}|${BELOW_WORDS}|cross|drops|falls|rises|climbs|goes|moves|gets|[<>]|oversold|overbought)`;
const PERIOD_PATTERNS = [
  new RegExp(String.raw`\b${RSI}\s*\(\s*(\d+)\s*\)`, 'g'),
  new RegExp(String.raw`(?<![@\w])(\d+)\s*-?\s*(?:period|length|bar|candle|day)s?\s+${RSI}\b`, 'g'),
  new RegExp(String.raw`\b${RSI}\s*(?:period|length)\s*(?:of|=|:|is)?\s*(\d+)\b`, 'g'),
  new RegExp(String.raw`\b${RSI}\s*(\d+)(?=\s+${CMP_START})`, 'g'),
  // "rsi 7 scalping bot", "rsi 2 strategy: buy below 5": the window, then what the text calls it.
  new RegExp(
    String.raw`\b${RSI}\s*(\d+)(?=\s*(?:strat\w*|scalp\w*|bots?|system|setup|mean\s+reversion|reversal|on\s|for\s|[,:;-]))`,
    'g',
  ),
  // "rsi 30/70 (14 period)", "rsi 30/70, length 7": the period written apart from the indicator.
  /\(\s*(\d+)\s*-?\s*(?:period|length|bar|candle)s?\s*\)/g,
  /\b(?:period|length)\s*(?:of|=|:|is)?\s*(\d+)\b/g,
];
const COMPARISON = new RegExp(
  String.raw`(?:\b(cross(?:es|ed|ing)?\s+(?:above|over|up|below|under|down)(?:\s+through)?)|\b(oversold|overbought)(?:\s*(?:level|at|of|is|=|:))*|\b(${ABOVE_WORDS}|${BELOW_WORDS})|([<>]=?))\s*(?:the\s+)?(?:level\s+(?:of\s+)?)?${NUM}`,
  'g',
);
const DEFAULT_PERIOD = 14;
const DEFAULT_LEVELS = { low: 30, high: 70 };

type Level = { side: 'entry' | 'exit'; op: Comparison['op']; value: number };

function comparisonOf(scan: Scan, hit: Hit): Level {
  const [cross, zone, word, symbol, number] = hit.groups;
  const value = Number(number);
  let op: Comparison['op'];
  if (cross !== undefined) op = /above|over|up/.test(cross) ? 'crosses_above' : 'crosses_below';
  else if (zone !== undefined) op = zone === 'oversold' ? 'below' : 'above';
  else op = directionOf(word ?? symbol ?? '');
  return { side: sideAt(scan, hit.index, hit.end) ?? (value < 50 ? 'entry' : 'exit'), op, value };
}

function checkLevel(value: number): number {
  if (!(value > 0 && value < 100)) fail(`RSI levels must be between 1 and 99, not ${value}.`);
  return value;
}

function checkPeriod(value: number): number {
  if (!Number.isInteger(value) || value < 2 || value > 200) {
    fail(`The RSI period must be 2 to 200, not ${value}.`);
  }
  return value;
}

/** Reads an RSI strategy; the caller has already taken out risk, timeframe and pair phrases. */
export function readRsi(scan: Scan): Signals {
  const explicit = [
    ...new Set(PERIOD_PATTERNS.flatMap((p) => takeAll(scan, p).map((h) => Number(h.groups[0])))),
  ];
  if (explicit.length > 1) {
    fail(`I found more than one RSI period (${explicit.join(' and ')}); which one do you mean?`);
  }
  const levels = takeAll(scan, COMPARISON).map((h) => comparisonOf(scan, h));
  takeAll(scan, new RegExp(String.raw`\b${RSI}\b`, 'g'));
  const loose = takeNumbers(scan).map((n) => n.value);
  let period = explicit[0];
  if (levels.length > 0 || loose.length === 1) {
    // Beside levels, a stray number is no period ("buy when rsi under 35 sell 65", "i trade with 3
    // friends ... rsi under 30"): the period is one written next to RSI, and anything else is asked about.
    if (loose.length > 1 || (loose.length === 1 && (period !== undefined || levels.length > 0))) {
      fail(`I'm not sure what ${loose.join(' and ')} means here. Write it like: RSI(14) below 30, above 70.`);
    }
    period ??= loose[0];
  } else if (loose.length > 0) {
    if (loose.length > 3 || (loose.length === 3 && period !== undefined)) {
      fail(
        `I found too many numbers for an RSI strategy (${loose.join(', ')}). Write it like: RSI(14) 30/70.`,
      );
    }
    const [low, high] = loose.length === 3 ? loose.slice(1) : loose;
    if (loose.length === 3) period = loose[0];
    if (low === undefined || high === undefined || low >= high) {
      fail('Give the RSI levels low then high, like: RSI 30/70.');
    }
    levels.push({ side: 'entry', op: 'below', value: low }, { side: 'exit', op: 'above', value: high });
  }
  if (levels.length === 0) {
    scan.assumed.push(
      `No RSI levels given: buy below ${DEFAULT_LEVELS.low} (oversold), sell above ${DEFAULT_LEVELS.high} (overbought).`,
    );
    levels.push(
      { side: 'entry', op: 'below', value: DEFAULT_LEVELS.low },
      { side: 'exit', op: 'above', value: DEFAULT_LEVELS.high },
    );
  }
  if (period === undefined) scan.assumed.push(`No RSI period given: ${DEFAULT_PERIOD} candles.`);
  const rsi: Series = { kind: 'rsi', period: checkPeriod(period ?? DEFAULT_PERIOD) };
  const toCondition = (l: Level): Comparison => ({ op: l.op, left: rsi, right: checkLevel(l.value) });
  const entry = levels.filter((l) => l.side === 'entry');
  const exit = levels.filter((l) => l.side === 'exit');
  if (entry.length === 0) fail('Say when to buy, for example: buy when RSI is below 30.');
  // Only an entry level: the mirror level across 50 is the usual exit ("below 30" sells above 70).
  const only = entry.length === 1 && exit.length === 0 ? entry[0] : undefined;
  const mirror = only && {
    side: 'exit' as const,
    op: only.value < 50 ? ('above' as const) : ('below' as const),
    value: 100 - only.value,
  };
  const name = rsi.period === DEFAULT_PERIOD ? 'rsi' : `rsi${rsi.period}`;
  return {
    entry: entry.map(toCondition),
    exit: exit.map(toCondition),
    label: [name, ...entry.map((l) => l.value), ...exit.map((l) => l.value)].join('-'),
    ...(mirror
      ? {
          usualExit: {
            exit: [toCondition(mirror)],
            assumed: `No exit given: sell when RSI(${rsi.period}) is ${mirror.op} ${mirror.value}.`,
          },
        }
      : {}),
  };
}
