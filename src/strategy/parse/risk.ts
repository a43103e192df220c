// Offline parser, risk part: stop-loss, take-profit and the open-trade cap, all written as percentages
// or counts next to their keyword ("5% stop", "stop loss of 2.5%", "take profit 10%", "max 3 trades").
// A keyword whose number can't be read is refused rather than replaced by a default.
import { withoutDistances } from './distance.ts';
import { fail, leftover, percentToRatio, type Scan, takeAll } from './text.ts';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const STOP_WORD = String.raw`(?:stop(?:\s*-?\s*loss)?|sl)`;
// "trailing 3%" on its own is a trailing stop too; the first group says whether it trails.
const STOP = String.raw`(?:(trail(?:ing)?)\s*${STOP_WORD}?|${STOP_WORD})`;
const TP = String.raw`(?:take\s*-?\s*profit|tp|profit\s+target|profit|target|roi)`;
// "stop 5% below entry", "take profit 10% above entry": the reference point is part of the phrase, not a
// condition on the indicators.
const BELOW_ENTRY = String.raw`(?:\s+(?:below|under)\s+(?:the\s+|my\s+)?(?:entry|buy|open)(?:\s+price)?\b)?`;
// An ATR stop may end with a bare "above" or "below": its side of the entry ("stop 2 ATR above" on a short).
const ATR_SIDE = String.raw`(?:\s+(?:below|under|above|over)\s+(?:the\s+|my\s+)?(?:entry|buy|open|short)(?:\s+price)?\b|\s+(?:below|under|above|over)(?=\s*(?:[,.;!]|$)))?`;
const ABOVE_ENTRY = String.raw`(?:\s+(?:above|over)\s+(?:the\s+|my\s+)?(?:entry|buy|open)(?:\s+price)?\b)?`;
// "take profit 10% stop 5%": a percentage right after a keyword belongs to that keyword, not the next one.
// "10% tp + 5% sl": a sign with a space after it joins two phrases; it is not the number's sign.
const NOT_CLAIMED = String.raw`(?<![\d.])(?<!(?:stop|loss|sl|trail|trailing|profit|tp|target|roi|take)\s*(?:of|at|@|=|:|is)?\s*[-+]?)`;
const STOP_AFTER = new RegExp(String.raw`${NOT_CLAIMED}${NUM}\s*%\s*${STOP}\b${BELOW_ENTRY}`, 'g');
// "sl 1.5", "Stoploss 4", "tp 3 sl 1.5", "sl 2 rsi 14 ...": right after its keyword a bare number is a
// percentage too, when nothing that makes it something else follows ("stop 2 atr", "stop 3 candles").
const BARE_PERCENT = String.raw`(?:\s*%|(?![\d.]\d)(?=\s*(?:$|[,;)!?]|\.(?!\d)|(?:tp|sl|stop\w*|take|max\w*|trail\w*|on|and|with|for|in|rsi|ema|sma|wma|macd|bb|bollinger|stoch\w*|cci|mfi|adx|vwap|obv|buy|sell|long|short|exit|entry|btc|eth|sol|bnb|xrp)\b)))`;
// "my stop is like 3%", "stop around 2%": hedges before the number.
// "keep the stop tight at 0.7%", "a hard stop at 5%": how it is kept, before the number.
const HEDGE = String.raw`(?:(?:tight|tighter|wide|wider|hard|loose)\s+)?(?:(?:of|at|@|=|:|is|to\s+be|should\s+be|,(?=\s*\d+(?:\.\d+)?\s*%))\s*)?(?:(?:like|about|around|roughly|approx(?:imately)?|~)\s*)?`;
const STOP_BEFORE = new RegExp(String.raw`\b${STOP}\s*${HEDGE}-?\s*${NUM}${BARE_PERCENT}${BELOW_ENTRY}`, 'g');
// "sell after 2% profit or 1% loss": the stop as the loss that closes the trade.
const LOSS_AFTER = new RegExp(String.raw`\b(?:or|after|at|on)\s+(?:an?\s+)?${NUM}\s*%\s+loss\b`, 'g');
// "or if i'm down 5%": the stop in the trader's words.
const DOWN_BY = new RegExp(
  String.raw`\b(?:or\s+)?(?:if|when|once)\s+(?:i'?m|i\s+am|it'?s|it\s+is|we'?re|the\s+trade\s+is|trade\s+is)\s+down\s+(?:by\s+)?${NUM}\s*%(?!\s*(?:from|off)\s+(?:the\s+|its\s+)?(?:\d+\s*-?\s*\w+\s+)?(?:high|top|peak))`,
  'g',
);
// "no stop needed but put a wide 15% one anyway": the stop they settle on.
const STOP_ANYWAY = new RegExp(
  String.raw`\b(?:no|without\s+(?:a|any)?|don'?t\s+(?:want|need)\s+(?:a|any)?)\s*${STOP_WORD}(?:\s+(?:needed|required|necessary))?(?:\s+honestly)?\s*,?\s*but\s+(?:maybe\s+|still\s+)?(?:put|use|set|add|do|give\s+it)\s+(?:a\s+|an\s+)?(?:(?:wide|tight|loose|hard|small|big)\s+)?${NUM}\s*%(?!\s*(?:tp|take|profit|target|trail\w*|roi|gain))(?:\s+(?:one|stop|sl))?(?:\s+(?:anyway|anyways|just\s+in\s+case|to\s+be\s+safe|for\s+safety))?`,
  'g',
);
// The loss that closes the trade in the trader's words: "I get out if it drops 4% against me", "or if it
// falls 3% against me", "out if it drops another 5%", "out at -4%", "exit at +3% or -1.5%", "cut at 0.5%",
// "I get stopped out at 1.5%". An exit word before "if" or "against me" after the figure says it is the
// stop, not a dip to buy ("buy when it drops 3%").
const AGAINST = String.raw`\s+(?:against\s+(?:me|us|the\s+trade|my\s+position|the\s+position|my\s+entry)|from\s+(?:my\s+|the\s+)?entry|below\s+(?:my\s+|the\s+)?entry)`;
const FALLS = String.raw`(?:falls?|drops?|dips?|loses?|goes\s+down|is\s+down)`;
const MOVE_DOWN = String.raw`(?:it|price|the\s+price|the\s+trade|that|the\s+coin)\s+(?:drops?|falls?|goes|moves?|dips?|runs?|is\s+down)\s+(?:another\s+|more\s+than\s+|over\s+|by\s+)?${NUM}\s*%`;
const LOSS_WORDS = [
  new RegExp(
    String.raw`\b(?:(?:i\s+)?(?:get|gets|getting)\s+out|out|exit|sell|cut(?:\s+it)?|close(?:\s+it)?)\s+(?:if|when|once)\s+${MOVE_DOWN}(?:${AGAINST})?(?!\s*(?:in|over|within|under|above|below)\b)`,
    'g',
  ),
  new RegExp(String.raw`\b(?:or\s+)?(?:if|when|once)\s+${MOVE_DOWN}${AGAINST}`, 'g'),
  new RegExp(
    String.raw`\b(?:or\s+)?(?:(?:get\s+)?out|exit|cut(?:\s+it)?|stopped\s+out)\s+(?:at|@)\s+-\s*${NUM}\s*%`,
    'g',
  ),
  new RegExp(String.raw`\bor\s+-\s*${NUM}\s*%`, 'g'),
  // "sell when it gets 10% above entry or falls 6%", "hits 12% profit or drops 5%": beside the gain that
  // closes the trade, the fall is the loss that does.
  new RegExp(
    String.raw`(?<=\d\s{0,2}%\s{0,2}(?:(?:profit|gain|up|higher|above\s{1,2}(?:my\s{1,2}|the\s{1,2})?(?:entry|buy)(?:\s{1,2}price)?)\s{0,2})?,?\s{0,2})\bor\s+(?:if\s+|when\s+)?(?:it\s+|price\s+)?${FALLS}\s+(?:by\s+|another\s+)?${NUM}\s*%(?:${AGAINST})?(?!\s*(?:in|over|within|under|above|below)\b)`,
    'g',
  ),
  new RegExp(String.raw`\b(?:or\s+)?(?:cut(?:\s+it)?|(?:get\s+)?stopped\s+out)\s+(?:at|@)\s+${NUM}\s*%`, 'g'),
];
const STOP_LEFT = /\b(?:stop|stoploss|sl)\b/;
const TRAIL_LEFT = new RegExp(String.raw`\btrail(?:ing|s)?\b(?:\s*${STOP_WORD}\b)?`);

/**
 * A number right after its keyword with no % sign, said back. Below 0.1 it can't be a percentage
 * (none that small is allowed): "stop 0.02", "sl 0.05" write Freqtrade's ratio, 2% and 5%. So does
 * "roi 0.1" under 1, as Freqtrade's minimal ROI is written. Anything else is a percentage ("sl 1.5").
 */
function barePercent(
  scan: Scan,
  hit: { index: number; end: number },
  value: number,
  what: string,
  roi: boolean,
): number {
  const said = scan.original.slice(hit.index, hit.end);
  if (said.includes('%')) return value;
  // "take profit at 75" beside an oscillator reads as its level as well as 75%: asked.
  if (value >= 50 && /\b(?:rsi|stoch\w*|mfi|cci|williams)\b/i.test(scan.original))
    fail(
      `Is "${said.trim()}" ${value}%, or the oscillator's level ${value}? Say for example: take profit 5%, or: sell when RSI is above ${value}.`,
    );
  // "stoploss = -0.10": Freqtrade's own way, a negative ratio.
  if (value > 0 && value < 1 && /-\s*\d/.test(said)) {
    const percent = Number((value * 100).toFixed(4));
    scan.assumed.push(`${what} "-${value}" read as a ratio: ${percent}%.`);
    return percent;
  }
  // "stop 0.02": no percentage that small is allowed, so Freqtrade's ratio, 2%; "roi 0.1" is written as
  // Freqtrade writes it, 10%. "tp 1.5 sl 0.75": a bare
  // figure of 1 or more beside it writes percentages; "stop-loss of 0.05 and roi of 0.1", ratios.
  if (value > 0 && value < 1) {
    const written = barePercentUnits(scan);
    // "stop at 0.065" on a coin under a dollar may be a price; "sl 0.08 tp 2" mixes ratios and percentages.
    const price = /\bat\s*-?\s*\d*\.\d+\s*$/.test(said);
    const ratioOnly = value < 0.1 || roi;
    const units =
      price || written === 'mixed'
        ? undefined
        : ratioOnly
          ? written === 'percent'
            ? undefined
            : 'ratio'
          : written;
    if (units === 'ratio') {
      const percent = Number((value * 100).toFixed(4));
      scan.assumed.push(`${what} "${value}" read as Freqtrade's ratio: ${percent}%.`);
      return percent;
    }
    if (units === 'percent') {
      scan.assumed.push(`${what} "${value}" read as ${value}%, as the other figures are written.`);
      return value;
    }
  }
  // "sl 0.5", "roi 0.3": a ratio or a percentage? Asked, never guessed.
  if (value > 0 && value < 1) {
    fail(
      `Is the ${what.toLowerCase()} "${value}" a ratio (${Number((value * 100).toFixed(4))}%) or ${value}%? Write it with a % sign, for example: ${what === 'Stop-loss' ? 'stop' : 'take profit'} ${Number((value * 100).toFixed(4))}%.`,
    );
  }
  scan.assumed.push(`${what} "${value}" read as ${value}%.`);
  return value;
}

// Every stop or target figure written without a % sign, as the trader wrote it.
const BARE_FIGURES =
  /\b(?:tp|take\s*-?\s*profit|roi|sl|stop\s*-?\s*loss|stoploss|stop)\s*(?:of|at|@|=|:|is)?\s*-?\s*(\d*\.?\d+)(?![\d.]|\s*(?:%|x\b|atr|times|candles?|bars?))/gi;

/** How the text writes its bare figures: percentages when one is 1 or more, ratios when one is under 0.1. */
function barePercentUnits(scan: Scan): 'ratio' | 'percent' | 'mixed' | undefined {
  const figures = [...scan.original.matchAll(BARE_FIGURES)].map((m) => Number(m[1]));
  const percent = figures.some((f) => f >= 1);
  const ratio = figures.some((f) => f > 0 && f < 0.1);
  if (percent && ratio) return 'mixed';
  return percent ? 'percent' : ratio ? 'ratio' : undefined;
}

/** Stop-loss as the spec's negative ratio, and whether the text asked for it to trail. */
type StopReading = { percent: number; stoploss: number; trailing: boolean };

function single<T>(values: T[], what: string, show: (v: T) => string): T | undefined {
  const distinct = [...new Set(values.map(show))];
  if (distinct.length > 1) {
    fail(`I found more than one ${what} (${distinct.join(' and ')}); which one do you mean?`);
  }
  return values[0];
}

const ATR = String.raw`(\d+(?:\.\d+)?)\s*(?:x\s*|times\s+)?(?:the\s+)?atr(?:\s*\(\s*(\d+)\s*\)|\s+(\d+))?`;
const STOP_WORDS = String.raw`(?:stop(?:\s*-?\s*loss)?|stoploss|sl)`;
const ATR_STOP = [
  // "atr based stoploss, 2.5x atr": the kind of stop first, its multiple after
  new RegExp(String.raw`\batr\s*-?\s*based\s+${STOP_WORDS}\s*[,:]?\s*(?:of\s+|at\s+)?${ATR}${ATR_SIDE}`, 'g'),
  // "2 atr stop", "1.5x ATR(14) stop loss", "a 2 times atr sl"
  new RegExp(String.raw`\b${ATR}\s+${STOP_WORDS}\b${ATR_SIDE}`, 'g'),
  // "stop loss 2 atr below entry", "sl at 1.5x atr", "stop at 2 ATR"
  new RegExp(String.raw`\b${STOP_WORDS}\s*(?:of|at|@|=|:|is)?\s*${ATR}${ATR_SIDE}`, 'g'),
  // "stop at entry minus 2 atr", "sl = entry - 1.5 atr"
  new RegExp(
    String.raw`\b${STOP_WORDS}\s*(?:of|at|@|=|:|is)?\s*(?:the\s+|my\s+)?entry(?:\s+price)?\s*(?:minus|-|less)\s*${ATR}`,
    'g',
  ),
];
// "atr 2x stop": the multiple between the ATR and the stop word.
const ATR_X_STOP = new RegExp(String.raw`\batr\s+${NUM}\s*x\s+${STOP_WORDS}\b${ATR_SIDE}`, 'g');
// "atr(14) stop 1.5x", "atr stop 2x": the multiple after the stop word.
const ATR_STOP_AFTER = new RegExp(
  String.raw`\batr(?:\s*\(\s*(\d+)\s*\)|\s+(\d+))?\s+${STOP_WORDS}\s+${NUM}\s*x\b${ATR_SIDE}`,
  'g',
);
const ATR_DEFAULT = { multiplier: 2, period: 14 };
const TRAIL = 'trail(?:ing|s)?';
// "2x atr trailing stop", "trailing stop 3x atr", "trail with 2.5 atr", "trail it by 2 atr".
const ATR_TRAILING = [
  new RegExp(String.raw`\b${ATR}\s+${TRAIL}(?:\s+${STOP_WORDS})?\b`, 'g'),
  // "trail a stop 2 ATR below", "trail the stop 3 atr below the highest close"
  new RegExp(
    String.raw`\b${TRAIL}\s+(?:a|the|my|your)\s+${STOP_WORDS}\s+(?:at\s+|by\s+)?${ATR}(?:\s+(?:below|under|behind)(?:\s+(?:the\s+)?(?:price|highest\s+(?:close|high)|high))?)?`,
    'g',
  ),
  new RegExp(
    String.raw`\b${TRAIL}(?:\s+${STOP_WORDS})?\s*(?:it\s+)?(?:of|at|@|=|:|is|with|by)?\s*(?:a\s+)?${ATR}\b`,
    'g',
  ),
];
// "trail the stop with ATR": no multiple, the usual one.
const ATR_TRAIL_WITH = new RegExp(
  String.raw`\b${TRAIL}\s+(?:a|the|my)\s+${STOP_WORDS}\s+(?:with|using|by)\s+(?:the\s+)?atr\b`,
  'g',
);
// "an atr trailing stop" with no multiple; "atr trailing stop 3x": the multiple after it.
const ATR_TRAILING_BARE = new RegExp(
  String.raw`\b(?:an?\s+)?atr(?:\s*\(\s*(\d+)\s*\)|\s+(\d+))?\s*-?\s*(?:based\s+)?${TRAIL}(?:\s+${STOP_WORDS})?\b(?:\s*(?:of\s+|at\s+|=\s*|:\s*)?${NUM}\s*x\b(?:\s*atr\b)?)?`,
  'g',
);
// "an atr stop", "atr-based stop loss", "atr trailing"-free mentions with no multiple.
// "atr 14 stop" names the window only.
const ATR_BARE = new RegExp(
  String.raw`\b(?:an?\s+)?atr(?:\s*\(\s*(\d+)\s*\)|\s+(\d+))?\s*-?\s*(?:based\s+)?${STOP_WORDS}\b`,
  'g',
);

/** "2 atr stop", "stop loss 1.5x ATR below entry", "an ATR stop": the stop as a multiple of the ATR. */
export function readAtrStop(scan: Scan): { period: number; multiplier: number; trailing?: true } | undefined {
  const multiple = (trailing: boolean) => (h: { groups: (string | undefined)[] }) => ({
    multiplier: Number(h.groups[0]),
    period: Number(h.groups[1] ?? h.groups[2] ?? ATR_DEFAULT.period),
    named: (h.groups[1] ?? h.groups[2]) !== undefined,
    trailing,
  });
  const trails = ATR_TRAILING.flatMap((pattern) => takeAll(scan, pattern).map(multiple(true)));
  // "atr trailing stop ..., trailing stop 3x atr": the bare mention names the same stop. The line saying
  // its default multiple is kept, to be taken back when a multiple is given after it.
  let bareTrail: string | undefined;
  const sayDefault = (period: number): void => {
    bareTrail = `No multiple given for the ATR trailing stop: ${ATR_DEFAULT.multiplier} x ATR(${period}).`;
    scan.assumed.push(bareTrail);
  };
  if (takeAll(scan, ATR_TRAIL_WITH).length > 0 && trails.length === 0) {
    sayDefault(ATR_DEFAULT.period);
    trails.push({
      multiplier: ATR_DEFAULT.multiplier,
      period: ATR_DEFAULT.period,
      named: true,
      trailing: true,
    });
  }
  for (const h of takeAll(scan, ATR_TRAILING_BARE)) {
    if (trails.length > 0) continue;
    const period = Number(h.groups[0] ?? h.groups[1] ?? ATR_DEFAULT.period);
    if (h.groups[2] !== undefined) {
      trails.push({ multiplier: Number(h.groups[2]), period, named: true, trailing: true });
      continue;
    }
    sayDefault(period);
    trails.push({ multiplier: ATR_DEFAULT.multiplier, period, named: true, trailing: true });
  }
  const hits = [...trails, ...ATR_STOP.flatMap((pattern) => takeAll(scan, pattern).map(multiple(false)))];
  for (const h of takeAll(scan, ATR_X_STOP)) {
    hits.push({ multiplier: Number(h.groups[0]), period: ATR_DEFAULT.period, named: false, trailing: false });
  }
  for (const h of takeAll(scan, ATR_STOP_AFTER)) {
    const period = h.groups[0] ?? h.groups[1];
    hits.push({
      multiplier: Number(h.groups[2]),
      period: Number(period ?? ATR_DEFAULT.period),
      named: period !== undefined,
      trailing: false,
    });
  }
  for (const h of takeAll(scan, ATR_BARE)) {
    const period = Number(h.groups[0] ?? h.groups[1] ?? ATR_DEFAULT.period);
    scan.assumed.push(`No multiple given for the ATR stop: ${ATR_DEFAULT.multiplier} x ATR(${period}).`);
    hits.push({ multiplier: ATR_DEFAULT.multiplier, period, named: true, trailing: false });
  }
  // "atr trailing stop ..., stop 2x ATR": the trailing stop named first, its multiple given after.
  const [trail, ...given] = hits;
  if (bareTrail && trail !== undefined && given.length > 0 && given.every((g) => !g.trailing)) {
    const multipliers = new Set(given.map((g) => g.multiplier));
    const [multiplier] = multipliers;
    if (multipliers.size === 1 && multiplier !== undefined) {
      scan.assumed.splice(scan.assumed.lastIndexOf(bareTrail), 1);
      hits.splice(0, hits.length, { ...trail, multiplier, trailing: true });
    }
  }
  const hit = single(
    hits,
    'ATR stop',
    (h) => `${h.multiplier} x ATR(${h.period})${h.trailing ? ' trailing' : ''}`,
  );
  if (hit === undefined) return undefined;
  // "atr-based: ...": a label of the stop read.
  takeAll(scan, /\batr\s*-?\s*based\b\s*:?/g);
  if (!(hit.multiplier >= 0.5 && hit.multiplier <= 10)) {
    fail(`An ATR stop must be 0.5 to 10 times the ATR, not ${hit.multiplier}.`);
  }
  if (!hit.named) scan.assumed.push(`ATR stop over ${hit.period} candles.`);
  return {
    period: hit.period,
    multiplier: hit.multiplier,
    ...(hit.trailing ? { trailing: true as const } : {}),
  };
}

// "no stop needed", "without a stop-loss"; not "no stop-loss hunting wicks".
const NO_STOP =
  /\b(?:no|without\s+(?:a|any)?|don'?t\s+(?:want|need)\s+(?:a|any)?)\s*stop(?:[\s-]*loss)?(?:\s+(?:needed|required|necessary|please))?(?=\s*(?:[,.;!]|$|i'?ll|i\s+will|at\s+all))/g;

// After "no stop": "well, ok put 20% just in case", "but ok 20% if you need one".
const SETTLED_STOP = new RegExp(
  String.raw`\b(?:(?:but|well|ok(?:ay)?|fine|alright)\b[\s,]*)+(?:(?:put|use|set|add|do|give\s+it|make\s+it)\s+)?(?:a\s+|an\s+)?(?:(?:wide|loose|tight|small)\s+)?${NUM}\s*%(?!\s*(?:tp|take|profit|target|gain|up|roi)\b)(?:\s+(?:one|stop|sl))?(?:\s+(?:anyway|anyways|just\s+in\s+case|to\s+be\s+safe|for\s+safety|if\s+you\s+(?:need|want|must\s+have)\s+one))?`,
  'g',
);

// "I don't know what stop loss to use so just pick something sensible", "a reasonable stop", "default sl":
// the trader leaves the number to us.
const ANY_STOP = new RegExp(
  String.raw`\b(?:(?:a\s+|the\s+|some\s+)?(?:sensible|reasonable|normal|standard|default|usual|typical|decent|safe)\s+${STOP_WORDS}|(?:(?:i\s+)?(?:(?:do\s*n'?t|do\s+not)\s+(?:really\s+)?know|idk|not\s+sure)\s+)?(?:what|which)\s+${STOP_WORDS}\s+(?:to\s+use|i\s+should\s+use|to\s+pick|makes\s+sense|is\s+(?:best|right|good)|would\s+work|works)\b[^.;]*?\b(?:pick|choose|decide|use|set)\s+(?:something|one|it|whatever|a\s+(?:sensible|reasonable|good)\s+one)(?:\s+(?:sensible|reasonable|for\s+me))*)`,
  'g',
);

/** "5% stop", "3% trailing stop", "stop loss of 2.5%", "sl 2%". */
export function readStop(scan: Scan): StopReading | undefined {
  const hits = [
    ...takeAll(scan, STOP_ANYWAY).map((h) => ({ percent: Number(h.groups[0]), trailing: false })),
    ...takeAll(scan, STOP_AFTER).map((h) => ({
      percent: Number(h.groups[0]),
      trailing: h.groups[1] !== undefined,
    })),
    ...takeAll(scan, STOP_BEFORE).map((h) => ({
      percent: barePercent(scan, h, Number(h.groups[1]), 'Stop-loss', false),
      trailing: h.groups[0] !== undefined,
    })),
    ...takeAll(scan, DOWN_BY).map((h) => ({ percent: Number(h.groups[0]), trailing: false })),
    ...takeAll(scan, LOSS_AFTER).map((h) => ({ percent: Number(h.groups[0]), trailing: false })),
    ...LOSS_WORDS.flatMap((pattern) =>
      takeAll(scan, pattern).map((h) => ({ percent: Number(h.groups[0]), trailing: false })),
    ),
  ];
  // "just pick a sensible stop loss": the default, said back by the caller like any stop left out.
  if (takeAll(scan, ANY_STOP).length > 0 && hits.length === 0) return undefined;
  // "no stop needed, I'll babysit it": Freqtrade needs one, so the widest it allows, said back.
  if (takeAll(scan, NO_STOP).length > 0) {
    // "No stop, I'm a long-term holder. Well, ok put 20% just in case.": the stop they settle on after.
    const settled = hits.length === 0 ? takeAll(scan, SETTLED_STOP).map((h) => Number(h.groups[0])) : [];
    const [percent] = settled;
    if (settled.length === 1 && percent !== undefined && percent >= 0.1 && percent <= 99) {
      scan.assumed.push(`No stop wanted, then ${percent}% if one is needed: a ${percent}% stop.`);
      return { percent, stoploss: -percentToRatio(percent), trailing: false };
    }
    if (hits.length > 0) fail('You asked for no stop-loss and for one; which should it be?');
    scan.assumed.push('No stop-loss wanted: Freqtrade needs one, so it is set at 99%.');
    return { percent: 99, stoploss: -0.99, trailing: false };
  }
  // "a trailing stop strategy: ... trail 2% behind price": the label of the trailing stop read.
  if (hits.some((h) => h.trailing))
    takeAll(scan, /\b(?:an?\s+)?trailing\s+stop(?:\s+(?:strategy|strat|system|bot|idea))?\b/g);
  const trail = leftover(scan, TRAIL_LEFT);
  if (trail !== undefined) {
    fail(
      `I couldn't read "${trail}": give the trailing distance as a percentage, for example: a 3% trailing stop.`,
    );
  }
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

const TP_AFTER = new RegExp(String.raw`${NOT_CLAIMED}${NUM}\s*%\s*${TP}\b${ABOVE_ENTRY}`, 'g');
const TP_BEFORE = new RegExp(String.raw`\b${TP}\s*${HEDGE}\+?\s*${NUM}${BARE_PERCENT}${ABOVE_ENTRY}`, 'g');
// "stop 3%, take 6%", "sell at +1.5%", "exit @ +2%": a gain written as the exit's price, with its sign.
// "exit at +3% or when rsi goes above 70": the gain alone is taken; the exit word stays for the condition.
const TP_SAID = new RegExp(
  String.raw`\btake\s+${NUM}\s*%(?!\s*(?:of|per|risk|stake|position|size|balance|portfolio|account|capital|each|margin)\b)|\b(?:sell|exit|close|out|cover)\s*(?:it\s+)?(?:at|@)?\s*\+\s*${NUM}\s*%(?!\s*,?\s*or\s+(?:when|if|once|on)\b)|(?<=\b(?:sell|exit|close|out|cover)\s{0,3}(?:it\s{1,3})?(?:at|@)?\s{0,3})\+\s*${NUM}\s*%(?:\s*,?\s*or)?(?=\s+(?:when|if|once|on)\b)`,
  'g',
);
// "sell after 3% gain", "sell after 2% up", "sells when it's up 3% from entry", "exit at 1.2% or stop at
// 0.6%": the gain that closes the trade, in the trader's words.
// Never when "or" adds a condition ("sell after 3% gain or when rsi goes above 70"): that exit is a
// condition as well, left to ask about. "or 1.5% loss", "or stop at 0.6%" (the stop, already taken) may follow.
const NO_OR_CONDITION = String.raw`(?!\s*,?\s*or\s+(?!(?:an?\s+|the\s+)?(?:stop|sl|cut|get\s+stopped|\d)|(?:if\s+|when\s+)?(?:it\s+|price\s+)?${FALLS}\s+(?:by\s+|another\s+)?\d)[a-z])`;
// "up 5% on the day" is the day's change, not a gain from the entry.
const NOT_THE_DAY = String.raw`(?!\s+(?:on|in|over|for)\s+(?:the|a|this|that)\s+(?:day|session|week|candle|hour))`;
const TP_WORDS = [
  new RegExp(
    String.raw`\b(?:sell|exit|close|out|get\s+out)\s+(?:it\s+)?(?:after|at|on)\s+(?:a\s+|an\s+)?\+?${NUM}\s*%\s*(?:gain|up|move\s+up|pop|bounce|profit)\b${NOT_THE_DAY}${NO_OR_CONDITION}`,
    'g',
  ),
  new RegExp(
    String.raw`\b(?:sell|sells|exit|close|get\s+out|take\s+profit)\s+(?:when|once|if)\s+(?:(?:it'?s|its|it\s+is|i'?m|we'?re|the\s+trade\s+is|price\s+is|it\s+goes)\s+)?(?:back\s+)?up\s+(?:by\s+)?${NUM}\s*%(?:\s+from\s+(?:the\s+|my\s+)?entry)?${NOT_THE_DAY}${NO_OR_CONDITION}`,
    'g',
  ),
  // "I'm happy with 8%", "happy taking 10%"
  new RegExp(
    String.raw`\b(?:i'?m|i\s+am|i'?d\s+be)\s+(?:happy|good|fine|ok|okay|content)\s+(?:with|taking)\s+(?:a\s+)?\+?${NUM}\s*%(?:\s+(?:gain|profit|up))?${NO_OR_CONDITION}`,
    'g',
  ),
  // "sell after 7%", "cover after 2% or stop at 1%", "exit after 1% or cut at 0.5%"
  new RegExp(
    String.raw`\b(?:sell|exit|close|out|cover|get\s+out)\s+(?:it\s+)?after\s+(?:a\s+)?\+?${NUM}\s*%(?!\s*(?:drop\w*|fall\w*|dip\w*|down\w*|loss\w*|declin\w*|lower|red|drawdown|against|in|over|within|gain|up|pop|bounce|profit)\b)${NO_OR_CONDITION}`,
    'g',
  ),
  // "sell when it gets 10% above entry", "sell when price is 5% above my entry"
  new RegExp(
    String.raw`\b(?:sell|sells|exit|close|get\s+out|take\s+profit)\s+(?:when|once|if)\s+(?:it|price|the\s+price)\s+(?:gets|is|goes|trades|moves|rises|climbs)\s+(?:to\s+)?\+?${NUM}\s*%\s+above\s+(?:my\s+|the\s+)?(?:entry|buy)(?:\s+price)?\b${NO_OR_CONDITION}`,
    'g',
  ),
  // "sell when price hits 12% profit"
  new RegExp(
    String.raw`\b(?:hits?|reach(?:es)?|gets?\s+to)\s+(?:a\s+)?\+?${NUM}\s*%\s+(?:profit|gain|up)\b${NO_OR_CONDITION}`,
    'g',
  ),
  // "sell 4% higher", "exit 3% above entry"
  new RegExp(
    String.raw`\b(?:sell|sells|exit|close|out)\s+(?:it\s+)?(?:at\s+)?\+?${NUM}\s*%\s*(?:higher|above\s+(?:the\s+|my\s+)?(?:entry|buy)(?:\s+price)?)\b${NO_OR_CONDITION}`,
    'g',
  ),
  // "sells when it recovers 3%", "exit once price bounces 2%": the gain from the entry the dip bought.
  new RegExp(
    String.raw`\b(?:sell|sells|exit|close|get\s+out)\s+(?:when|once|if|after)\s+(?:it\s+|price\s+)?(?:recovers?|bounces?|rebounds?|gains?|goes\s+up)\s+(?:by\s+)?\+?${NUM}\s*%(?!\s+(?:in|over|within)\b)${NOT_THE_DAY}${NO_OR_CONDITION}`,
    'g',
  ),
  new RegExp(
    String.raw`\b(?:sell|exit|out)\s+at\s+\+?${NUM}\s*%(?=\s+or\s*(?:$|[,.;!]|(?:an?\s+|the\s+)?(?:stop|sl)\b))`,
    'g',
  ),
  // "hold till +10%", "hold it until 8% profit"
  new RegExp(
    String.raw`\bhold\s+(?:it\s+)?(?:till|until|to)\s+(?:a\s+)?\+?${NUM}\s*%(?:\s+(?:profit|gain|up))?(?!\s*(?:below|under|above|over|from|of|drop\w*|loss|down)\b)${NO_OR_CONDITION}`,
    'g',
  ),
  // "cover at 1.5%", "sell at 3%" closing its clause: the gain the trade is closed at
  new RegExp(String.raw`\b(?:sell|exit|cover|out)\s+(?:it\s+)?at\s+${NUM}\s*%(?=\s*(?:$|[,.;!]))`, 'g'),
  // "cover after a 3% pullback", "cover on a 2% drop": a short's gain
  new RegExp(
    String.raw`\bcover\s+(?:after|on)\s+(?:a\s+)?${NUM}\s*%\s+(?:pullback|drop|dip|decline|move\s+down)\b${NO_OR_CONDITION}`,
    'g',
  ),
];
// "dont care about tp", "no tp needed": none asked for.
const NO_TP =
  /\b(?:(?:i\s+)?do\s*n'?t\s+(?:really\s+)?care\s+(?:about|for)\s+(?:the\s+|a\s+)?|no\s+(?:fixed\s+)?|do\s*n'?t\s+(?:use\s+a\s+|want\s+a\s+)?)(?:tp|take\s*-?\s*profit|profit\s+target|target)\b(?:\s+(?:needed|required))?/g;
const TP_LEFT = /\b(?:take\s*-?\s*profit|tp|profit\s+target|roi)\b/;

/** Take-profit as a ratio: "take profit 10%", "10% tp", "profit target of 8%". */
export function readTakeProfit(scan: Scan): number | undefined {
  const percents = [
    ...takeAll(scan, TP_AFTER).map((h) => Number(h.groups[0])),
    ...takeAll(scan, TP_BEFORE).map((h) =>
      barePercent(scan, h, Number(h.groups[0]), 'Take-profit', /^roi\b/i.test(scan.original.slice(h.index))),
    ),
    ...takeAll(scan, TP_SAID).map((h) => Number(h.groups[0] ?? h.groups[1] ?? h.groups[2])),
    ...TP_WORDS.flatMap((pattern) => takeAll(scan, pattern).map((h) => Number(h.groups[0]))),
  ];
  if (percents.length === 0) takeAll(scan, NO_TP);
  if (percents.length === 0 && TP_LEFT.test(scan.lower)) {
    fail("I couldn't read the take-profit; write it as a percentage, for example: take profit 10%.");
  }
  const percent = single(percents, 'take-profit', (p) => `${p}%`);
  if (percent === undefined) return undefined;
  if (percent < 0.1 || percent > 900) fail(`A take-profit must be between 0.1% and 900%, not ${percent}%.`);
  return percentToRatio(percent);
}

const COUNT_WORDS: Record<string, number> = { one: 1, single: 1, two: 2, three: 3, four: 4, five: 5 };
const COUNT = String.raw`(\d+|one|(?:a\s+)?single|two|three|four|five)`;
// "max 2 shorts open" in a strategy of one side: its trades.
const TRADES = String.raw`(?:(?:open|concurrent|simultaneous)\s+)?(?:trades?|positions?|shorts?|longs?)`;
// "no more than", "never more than", "i don't want more than", "don't have more than"
const NO_MORE_THAN = String.raw`(?:(?:i\s+)?(?:do\s*n'?t|do\s+not)\s+(?:want|have|hold|open|allow|need)\s+(?:any\s+)?|no\s+|not\s+|never\s+)more\s+than\s+`;
const MAX_TRADES = [
  new RegExp(
    String.raw`\b(?:max(?:imum)?|at\s+most|up\s+to)\s*(?:of\s+)?${COUNT}\s*${TRADES}(?:\s+open)?(?:\s+at\s+(?:a|one|the\s+same)\s+time|\s+at\s+once)?\b`,
    'g',
  ),
  new RegExp(String.raw`\bmax(?:imum)?\s*${TRADES}\s*(?:of|=|:)?\s*${COUNT}\b`, 'g'),
  // "3 max trades", "2 trades max"
  new RegExp(String.raw`\b${COUNT}\s+(?:max(?:imum)?\s+${TRADES}|${TRADES}\s+max(?:imum)?)\b`, 'g'),
  // "max 2 open", and "max 2" closing the text
  new RegExp(String.raw`\bmax(?:imum)?\s+${COUNT}(?:\s+open\b|(?=\s*(?:[.!]?\s*$)))`, 'g'),
  new RegExp(String.raw`\b${COUNT}\s+(?:open|concurrent|simultaneous)\s+(?:trades?|positions?)\b`, 'g'),
  new RegExp(
    String.raw`\b(?:(?:cap(?:ped)?|limit(?:ed)?)\s+(?:it\s+)?(?:at|to)\s+|${NO_MORE_THAN})?${COUNT}\s+${TRADES}\s+(?:(?:open\s+)?at\s+(?:a|one|the\s+same)\s+time|(?:open\s+)?at\s+once|open|max(?:imum)?)\b`,
    'g',
  ),
  new RegExp(
    String.raw`\b(?:cap(?:ped)?|limit(?:ed)?)\s+(?:it\s+|open\s+trades\s+|trades\s+|positions\s+)?(?:at|to)\s+${COUNT}(?:\s+${TRADES})?\b`,
    'g',
  ),
  new RegExp(String.raw`\b${NO_MORE_THAN}${COUNT}\s+${TRADES}\b`, 'g'),
  // "long only, 3 max": a count and "max" as a clause of its own
  new RegExp(
    String.raw`(?:^|[,;]\s*)${COUNT}\s+max(?:imum)?(?:\s+(?:open\s+)?(?:trades?|positions?))?(?=\s*(?:[,.;!]|$))`,
    'g',
  ),
];
// Whatever still talks about a trade cap after the patterns above was not understood.
const TRADES_LEFT =
  /\b(?:max(?:imum)?|at\s+most|up\s+to)\b[^,;.]*?\b(?:trades?|positions?)\b|\b(?:trades?|positions?)\s+at\s+(?:a|one|the\s+same)\s+time\b|\b(?:trades?|positions?)\s+at\s+once\b/;

function countOf(word: string): number {
  return COUNT_WORDS[word.replace(/^a\s+/, '')] ?? Number(word);
}

/** Cap on simultaneous trades: "max 3 trades", "max open trades 5", "2 open positions", "one trade at a time". */
export function readMaxOpenTrades(scan: Scan): number | undefined {
  const text = scan.lower;
  const hits = MAX_TRADES.flatMap((pattern) => takeAll(scan, pattern));
  const counts = hits.map((h) => countOf(h.groups[0] ?? ''));
  // "max 2 shorts" beside a long side would cap one side only, which the bot's cap (all trades) is not.
  for (const h of hits) {
    const side = /\b(short|long)s?\b/.exec(text.slice(h.index, h.end))?.[1];
    const rest = text.slice(0, h.index) + text.slice(h.end);
    const other = side === 'short' ? /\b(?:buy\w*|long\w*)\b/ : /\bshort\w*/;
    if (side !== undefined && other.test(rest)) {
      fail(
        `The cap on open trades counts both sides together; say it for all trades, for example: max ${countOf(h.groups[0] ?? '')} open trades.`,
      );
    }
  }
  const unread = leftover(scan, TRADES_LEFT);
  if (unread !== undefined) {
    fail(`I couldn't read the trade limit in "${unread}"; write it like: max 3 open trades.`);
  }
  const count = single(counts, 'trade limit', String);
  if (count === undefined) return undefined;
  if (count < 1 || count > 100) fail(`The number of open trades must be 1 to 100, not ${count}.`);
  return count;
}

/** Any percentage no reader claimed is refused: guessing what "10%" meant could change the strategy. */
export function refuseStrayPercent(scan: Scan): void {
  // "3% below the 20 sma", "price up 2%": distances read with the conditions.
  const stray = /(\d+(?:\.\d+)?)\s*%/.exec(withoutDistances(scan.lower));
  if (stray) {
    fail(
      `I'm not sure what ${stray[1]}% means here; say "a ${stray[1]}% stop" or "take profit ${stray[1]}%".`,
    );
  }
}

const REWARD = /\breward\s+(\d+(?:\.\d+)?)x\b/g;

/** "2% stop, 2:1": the take-profit that many times the stop, said back; beside a take-profit, left out. */
export function withReward(
  takeProfit: number | undefined,
  stopPercent: number | undefined,
  scan: Scan,
): number | undefined {
  const [ratio] = takeAll(scan, REWARD).map((h) => Number(h.groups[0]));
  if (ratio === undefined || takeProfit !== undefined) return takeProfit;
  if (stopPercent === undefined || !(ratio > 0)) {
    scan.assumed.push(`The ${ratio}:1 reward to risk left out: no stop named to scale it by.`);
    return undefined;
  }
  const percent = Math.round(stopPercent * ratio * 100) / 100;
  scan.assumed.push(
    `${ratio}:1 reward to risk on a ${stopPercent}% stop read as: take profit at ${percent}%.`,
  );
  return percentToRatio(percent);
}
