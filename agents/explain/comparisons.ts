// Claims an explanation makes about the strategy against simply holding ("it beat the market", "holding
// did better"), read against the stored figures. A claim the figures contradict is as invented as a
// number: "it outperformed buy and hold" on +3.04% against a +127% market reached a trader once.
//
// Comparisons come in endless wordings ("ran circles around", "Strategy 🏆, HODL 🥈", "the market's
// 127% looks tiny next to it"), so this is a whitelist of forms, not a list of verbs:
// - A sentence that names holding (buy and hold, HODL, the market, the index, BTC itself, holders ...)
//   and relates the strategy to it, compares, ranks, or imagines ("would have") passes only in one of a
//   few plain forms ("That beats simply holding, which changed 15.40%.", "It lagged the market.", "The
//   market rose 127.00% while the strategy made 3.04%."), and then only when the claim agrees with the
//   figures as the card rounds them and each figure is its owner's, with the right direction.
// - Once a reply names holding, a sentence that compares the strategy without naming it ("The strategy
//   did even better.") is refused too.
// - The strategy's own return, stated anywhere ("The strategy made 127.00%"), must be its figure.
// Anything else that names holding only describes the market ("The market was volatile") and passes
// when it gives the market no figure but its own. A sentence refused sends the whole explanation to
// the template, which says the same in words the check reads.
import type { BacktestSummary } from '../../src/backtest/summary.ts';
import { pct } from '../../src/core/format.ts';
import { wordFigures } from './number-words.ts';

/** How the strategy did against holding, on the figures as the card shows them (to 0.01%). */
export type VersusHolding = 'ahead' | 'behind' | 'even';

export function versusHolding(profit: number, market: number): VersusHolding {
  const [a, b] = [pct(profit), pct(market)].map(Number.parseFloat) as [number, number];
  return a > b ? 'ahead' : a < b ? 'behind' : 'even';
}

const HOLDING = String.raw`(?:hodl\w*|holding|holders?|(?:had|if)\s+you\s+(?:had\s+)?(?:just\s+)?held|held\s+(?:it|on|the\s+coin)|hold(?:ing)?\s+(?:it|the\s+coin|the\s+pair|btc|eth|sol)|buy[\s-]*(?:and|&|n|'n')?[\s-]*hold\w*|b&h|market(?:-beating|'s)?|benchmark|index|passive\w*|the\s+coin(?:'s)?|the\s+pair(?:'s)?|the\s+asset|(?:btc|bitcoin|eth|ether|ethereum|sol|solana|bnb|xrp)(?!\s*\/)|[a-z0-9]{2,10}\/[a-z]{3,5}|held|hold|staying\s+long|spot\s+position|mkt|doing\s+nothing|(?:the|a)\s+rally|yardstick|sitting\s+on\s+(?:your|the|its)\s+coins?)`;
const NAMES_HOLDING = new RegExp(String.raw`\b${HOLDING}`, 'i');
const REFERS_TO_STRATEGY =
  /\b(?:it|its|it's|itself|strategy|strategy's|yours|your\s+strategy|the\s+bot|this\s+one)\b/i;
// Words and signs that compare, rank, or weigh one against the other; a sentence naming holding with any
// of them must be one of the plain forms below.
const COMPARES =
  /\b(?:better|worse|best|worst|more|less|fewer|than|beat\w*|out[a-z]{3,}|under(?:perform|cut|shot)\w*|superior|inferior|ahead|behind|lead\w*|led|top|topp\w*|winner|won|win\w*|los(?:e|er|ers|ing|t)|trail\w*|lag\w*|surpass\w*|exceed\w*|eclips\w*|dwarf\w*|crush\w*|smok\w*|circles|compet\w*|close|kept\s+up|keep\s+up|as\s+(?:well|much|good|high|badly)|came\s+(?:second|last|first)|second\s+(?:place|best)|track\w*|par|neck|match\w*|equal\w*|same|similar\w*|compar\w*|relative\w*|versus|vs|against|above|below|under|over|short|next\s+to|sliver|fraction|portion|share|part|most|(?<!(?:first|second|last|other)\s)half|twice|double\w*|triple\w*|times|\w+fold|envy|envi\w*|jealous\w*|kick\w*|regret\w*|poor\w*|weak\w*|strong\w*|bigger|smaller|larger|higher|lower|greater|tiny|huge|modest|mere|standout|dust|floor|race|bet|call|choice|table|ride|smarter|wiser|dumber|wrong|clear|rough|underwhelm\w*|prevail\w*|cleared|edge\w*|captur\w*|while|whereas|though|although|but)\b|[<>≤≥=]|\p{Extended_Pictographic}/iu;
const IMAGINES = /\b(?:would|could|should|might)(?:'ve|\s+have|\s+be)?\b|\bwould'?ve\b/i;
// A question about the comparison, not an answer to it ("whether it beat holding", "if it beats").
const HYPOTHETICAL =
  /\b(?:whether|to\s+see\s+if|to\s+check\s+if|will\s+show|would\s+show|so\s+you\s+can\s+compare|without\s+a\s+backtest)\b|\bit'?s\s+(?:not\s+)?(?:hard|easy|possible|difficult|common|rare|tough)\b/i;

const N = String.raw`([-+]?\d+(?:\.\d+)?)\s?%`;
const MARKET = String.raw`(?:the\s+market|simply\s+holding|just\s+holding|holding|buy\s+and\s+hold|the\s+coin|the\s+pair|[a-z0-9]{2,10}\/[a-z]{3,5})`;
const UP = String.raw`(?:rose|gained|went\s+up|was\s+up|climbed|grew)`;
const DOWN = String.raw`(?:fell|lost|dropped|went\s+down|was\s+down|declined|slid)`;
const MOVED = '(?:changed|moved|returned|made)';
const MARKET_VERB = `(${UP}|${DOWN}|${MOVED})`;
const STRATEGY = String.raw`(?:it|that|the\s+strategy|your\s+strategy|this\s+strategy)`;
const STRATEGY_VERB = String.raw`(made|returned|gained|earned|lost|ended\s+(?:up|down)|finished\s+(?:up|down))`;
const PERIOD = String.raw`(?:\s+over\s+the\s+(?:same\s+)?period|\s+in\s+that\s+time)?`;
const CLAIM = String.raw`(beats?|beat|outperformed|did\s+better\s+than|lagged|trailed|underperformed|did\s+worse\s+than|matched|matches|did\s+not\s+beat|didn't\s+beat)`;

type Check = { market?: [string, string]; strategy?: [string, string]; claim?: string; money?: string };
const FORMS: { pattern: RegExp; read: (m: RegExpExecArray) => Check }[] = [
  // "Over the same period the market changed 127.00%."
  {
    pattern: new RegExp(
      String.raw`^(?:over\s+the\s+(?:same\s+)?period,?\s+)?${MARKET}\s+${MARKET_VERB}\s+(?:by\s+)?${N}${PERIOD}$`,
      'i',
    ),
    read: (m) => ({ market: [m[1] ?? '', m[2] ?? ''] }),
  },
  // "Market change over the period: 127.00%." (as the card labels it)
  {
    pattern: new RegExp(
      String.raw`^(?:the\s+)?market\s+change(?:\s+over\s+the\s+(?:same\s+)?period)?(?::|\s+was)?\s+${N}$`,
      'i',
    ),
    read: (m) => ({ market: ['changed', m[1] ?? ''] }),
  },
  // "That beats simply holding, which changed 15.40%.", "It lagged the market."
  {
    pattern: new RegExp(
      String.raw`^${STRATEGY}\s+${CLAIM}\s+${MARKET}(?:(?:,\s+which|,?\s+that)\s+${MARKET_VERB}\s+${N})?${PERIOD}$`,
      'i',
    ),
    read: (m) => ({ claim: m[1], ...(m[2] ? { market: [m[2], m[3] ?? ''] as [string, string] } : {}) }),
  },
  // The template's: "Simply holding did better: the market changed 127.00%.", "That matches simply
  // holding: the market changed 15.40%."
  {
    pattern: new RegExp(
      String.raw`^(?:simply\s+holding\s+(did\s+better)|that\s+(matches)\s+simply\s+holding):\s+the\s+market\s+${MARKET_VERB}\s+${N}$`,
      'i',
    ),
    read: (m) => ({
      claim: m[1] ? 'lagged' : 'matches',
      market: [m[3] ?? '', m[4] ?? ''],
    }),
  },
  // "The market rose 127.00% while the strategy made 3.04%."
  {
    pattern: new RegExp(
      String.raw`^${MARKET}\s+${MARKET_VERB}\s+${N},?\s+(?:while|whereas|but|and)\s+${STRATEGY}\s+${STRATEGY_VERB}\s+${N}${PERIOD}$`,
      'i',
    ),
    read: (m) => ({ market: [m[1] ?? '', m[2] ?? ''], strategy: [m[3] ?? '', m[4] ?? ''] }),
  },
  // "The strategy made 3.04% while the market rose 127.00%.", "... versus the market's 127.00%."
  {
    pattern: new RegExp(
      String.raw`^${STRATEGY}\s+${STRATEGY_VERB}\s+${N},?\s+(?:while|whereas|but|and|versus|against)\s+${MARKET}(?:'s)?\s*${MARKET_VERB}?\s+${N}${PERIOD}$`,
      'i',
    ),
    read: (m) => ({ strategy: [m[1] ?? '', m[2] ?? ''], market: [m[3] ?? 'changed', m[4] ?? ''] }),
  },
  // "The strategy lost money even though the market rose 127.00%."
  {
    pattern: new RegExp(
      String.raw`^${STRATEGY}\s+(made|lost)\s+money\s+(?:even\s+though|although|while|whereas)\s+${MARKET}\s+${MARKET_VERB}\s+${N}${PERIOD}$`,
      'i',
    ),
    read: (m) => ({ money: m[1], market: [m[2] ?? '', m[3] ?? ''] }),
  },
];

const CLAIMED: [RegExp, VersusHolding | 'not-ahead'][] = [
  [/^(?:beats?|beat|outperformed|did\s+better\s+than)$/i, 'ahead'],
  [/^(?:lagged|trailed|underperformed|did\s+worse\s+than)$/i, 'behind'],
  [/^(?:matched|matches)$/i, 'even'],
  [/^(?:did\s+not\s+beat|didn't\s+beat)$/i, 'not-ahead'],
];

/** Whether `value` (as written, "127.00" or "-1.30") with its verb is the figure `ratio` as the card shows it. */
function ownFigure(verb: string, value: string, ratio: number | null): boolean {
  if (ratio === null) return false;
  const written = Number(value);
  const shown = Number.parseFloat(pct(ratio));
  const up = new RegExp(`^(?:${UP}|made|gained|earned|ended\\s+up|finished\\s+up)$`, 'i').test(verb);
  const down = new RegExp(`^(?:${DOWN}|ended\\s+down|finished\\s+down)$`, 'i').test(verb);
  if (up) return written >= 0 && written.toFixed(2) === shown.toFixed(2);
  if (down) return Math.abs(written).toFixed(2) === Math.abs(shown).toFixed(2) && shown < 0;
  return (
    written.toFixed(2) === shown.toFixed(2) ||
    (!/^[-+]/.test(value) && written.toFixed(2) === Math.abs(shown).toFixed(2) && shown >= 0)
  );
}

/** The plain form `sentence` is written in, checked against the figures; undefined when it is in none. */
function plainForm(sentence: string, summary: BacktestSummary): boolean | undefined {
  const market = summary.marketChange;
  const truth = market === null ? undefined : versusHolding(summary.profitTotal, market);
  for (const form of FORMS) {
    const m = form.pattern.exec(sentence);
    if (m === null) continue;
    const c = form.read(m);
    if (c.market && !ownFigure(c.market[0], c.market[1], market)) return false;
    if (c.strategy && !ownFigure(c.strategy[0], c.strategy[1], summary.profitTotal)) return false;
    if (c.money === 'made' && !(summary.profitTotal > 0)) return false;
    if (c.money === 'lost' && !(summary.profitTotal < 0)) return false;
    if (c.claim !== undefined) {
      const said = CLAIMED.find(([p]) => p.test(c.claim ?? ''))?.[1];
      if (truth === undefined || said === undefined) return false;
      if (said === 'not-ahead' ? truth === 'ahead' : said !== truth) return false;
    }
    return true;
  }
  return undefined;
}

// The strategy's return stated in any sentence: "The strategy made 127.00%", "its return was 3.04%".
const STRATEGY_RETURN = new RegExp(
  String.raw`\b(?:${STRATEGY}|its|the\s+strategy's)\s+(?:(?:total\s+)?(?:return|profit|gain)\s+(?:was|came\s+to|of)\s+|${STRATEGY_VERB}\s+(?:about\s+|roughly\s+|around\s+)?)${N}(?!\s*(?:of|on|per|in\s+(?:drawdown|fees)|drawdown|win|max|cagr|a\s+(?:trade|year)|annual))`,
  'gi',
);

// "At 127.00%, the strategy's return was the standout": a figure beside the strategy's return.
const NAMES_RETURN = /\b(?:strategy's|its)\s+(?:total\s+)?(?:return|profit|gain)\b/i;
const METRIC_NEAR =
  /(?:drawdown|win\s*rate|cagr|sharpe|sortino|calmar|expectancy|factor|fees?|stake|trades?|market|holding|hodl)/i;

function wrongReturn(sentence: string, summary: BacktestSummary): boolean {
  if (NAMES_RETURN.test(sentence)) {
    for (const m of sentence.matchAll(/[-+]?(\d+(?:\.\d+)?)\s?%/g)) {
      const near = sentence.slice(Math.max(0, (m.index ?? 0) - 20), (m.index ?? 0) + m[0].length + 20);
      if (METRIC_NEAR.test(near)) continue;
      if (!ownFigure('changed', m[0].replace(/\s?%$/, ''), summary.profitTotal)) return true;
    }
  }
  return [...sentence.matchAll(STRATEGY_RETURN)].some((m) => {
    const verb = /\blost\b|ended\s+down|finished\s+down/i.test(m[0]) ? 'lost' : 'made';
    return (
      !ownFigure(
        verb,
        /\blost\b/i.test(m[0]) ? String(-Math.abs(Number(m[2]))) : (m[2] ?? ''),
        summary.profitTotal,
      ) && !ownFigure('changed', m[2] ?? '', summary.profitTotal)
    );
  });
}

// Figures given to a metric: each must be that metric's as the card shows it ("the win rate was 15.40%"
// on a 42.86% win rate, "it won 4 of its 7 trades" on 3 wins).
function wrongMetric(sentence: string, s: BacktestSummary): boolean {
  const checks: [RegExp, (string | null)[]][] = [
    [
      /\bwin\s*rate\s+(?:was|of|at|is|:)?\s*(?:about\s+|roughly\s+)?([-+]?\d+(?:\.\d+)?)\s?%/gi,
      [s.winRate === null ? null : pct(s.winRate)],
    ],
    [
      /\b(?:max(?:imum)?\s+)?drawdown\s+(?:was|of|at|is|:)?\s*(?:about\s+|roughly\s+)?([-+]?\d+(?:\.\d+)?)\s?%/gi,
      [s.maxDrawdown === null ? null : pct(s.maxDrawdown)],
    ],
    [/\bcagr\s+(?:was|of|at|is|:)?\s*([-+]?\d+(?:\.\d+)?)\s?%/gi, [s.cagr === null ? null : pct(s.cagr)]],
    [/\b(?:won|wins?|winning)\s+(\d+)\b/gi, [String(s.wins)]],
    [
      /\b(\d+)\s+(?:of\s+(?:its\s+|the\s+)?\d+\s+trades\s+)?(?:won|were\s+winners|winning\s+trades|winners)\b/gi,
      [String(s.wins)],
    ],
    [
      /\b(?:lost|losing)\s+(\d+)\s+(?:trades|of)\b|\b(\d+)\s+(?:losing\s+trades|losers|trades\s+lost)\b/gi,
      [String(s.losses)],
    ],
    [
      /\b(\d+)\s+trades\b(?!\s+(?:won|lost|were))/gi,
      [String(s.trades), String(s.wins), String(s.losses), String(s.draws)],
    ],
  ];
  return checks.some(([pattern, own]) =>
    [...sentence.matchAll(pattern)].some((m) => {
      const value = m[1] ?? m[2];
      if (value === undefined) return false;
      const shown = own.filter((o): o is string => o !== null).map((o) => Number.parseFloat(o).toFixed(2));
      return !shown.includes(Math.abs(Number(value)).toFixed(2)) && !shown.includes(Number(value).toFixed(2));
    }),
  );
}

/** Counts written in words as digits ("four of seven trades won" is "4 of 7 trades won"). */
function inDigits(sentence: string): string {
  let out = sentence;
  for (const w of wordFigures(sentence))
    if (!w.multiple && /^\d+$/.test(w.canonical)) out = out.replace(w.raw, w.canonical);
  return out;
}

/** Markdown, table bars and emphasis out; a sentence as it reads. */
const plain = (sentence: string) =>
  sentence
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[*_`~#]+/g, '')
    .replace(/\s*\|\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[.!?;:,]+$/, '')
    .trim();

/** Each sentence as written (what a refusal names) and as read. */
const sentencesOf = (reply: string) =>
  reply
    // A question stays with its answer ("Holding did better? Hardly."): the question mark hedges it.
    .split(/(?<=[.!;])\s+|\n+/)
    .map((said) => ({ said: said.trim(), read: plain(said) }))
    .filter((s) => s.read !== '');

// "It made money; holding did not.": what holding didn't do is a comparison too.
const HOLDING_DID_NOT = new RegExp(String.raw`\b${HOLDING}\s+(?:did|does|do|has|had)(?:\s+not|n't)\b`, 'i');
const comparesOrImagines = (sentence: string) =>
  COMPARES.test(sentence) ||
  IMAGINES.test(sentence) ||
  HOLDING_DID_NOT.test(sentence) ||
  wordFigures(sentence).some((w) => w.multiple);

// Claims in other words than the plain forms, read with their direction: "the market outperformed it",
// "it was outperformed by the market", "it got crushed by buy and hold". A true one passes when nothing
// else in the sentence weighs, hedges or negates.
const AHEAD = String.raw`(?:(?:crush(?:ed|es|ing)?|smash(?:ed|es|ing)?|trounc(?:ed|es|ing)|destroy(?:ed|s|ing)?|dwarf(?:ed|s|ing)?)(?!\s+by\b)|blew\s+away|beat|beats|beating|outperform(?:ed|s|ing)?|outpac(?:ed|es|ing)|surpass(?:ed|es|ing)?|exceed(?:ed|s|ing)?|d(?:id|o|oes|one)\s+better(?:\s+than)?|better\s+than|ahead\s+of)`;
const BEHIND = String.raw`(?:(?:got\s+)?crushed\s+by|(?:got\s+)?beaten\s+by|underperform(?:ed|s|ing)?|lagg(?:ed|ing)|lags|trail(?:ed|s|ing)|fell\s+short\s+of|los(?:t|es|ing)\s+to|d(?:id|o|oes|one)\s+worse(?:\s+than)?|worse\s+than|behind)`;
const CLAIM_NAMES = String.raw`(?:simply\s+|just\s+)?(?:holding|hodl|buy[-\s]and[-\s]hold|the\s+market|the\s+coin|the\s+benchmark)`;
const NEGATIONS = /\b(?:not|never|no|nor|hardly|barely|scarcely)\b|n't\b/gi;
const HEDGES =
  /\b(?:rather|far\s+from|wrong|false|untrue|instead|but|though|although|yet|except|until|early|late|overall|first|then|fail\w*|unable|nowhere|miss\w*|nobody|no\s+one|myth|lie|avoid\w*|dodg\w*|mistaken|kidding|joking|claim\w*|say|says|said|assum\w*|think|believe|critics|people|supposedly|allegedly|apparently)\b|\?/i;
const flip = (side: VersusHolding): VersusHolding =>
  side === 'ahead' ? 'behind' : side === 'behind' ? 'ahead' : 'even';

/** Each claim the sentence makes and what is left of it without them; undefined when it makes none. */
function claims(sentence: string): { said: VersusHolding[]; rest: string } | undefined {
  const said: VersusHolding[] = [];
  let rest = sentence;
  for (const [verb, side] of [
    [AHEAD, 'ahead'],
    [BEHIND, 'behind'],
  ] as const) {
    // "it beat holding": the strategy is the subject; "it was outperformed by the market": passive.
    for (const m of sentence.matchAll(new RegExp(String.raw`\b${verb}\s+(?:by\s+)?${CLAIM_NAMES}\b`, 'gi'))) {
      const before = sentence.slice(0, m.index ?? 0);
      const passive = /\b(?:was|were|is|are|been|got|gets)\s+$/i.test(before) && /^\w+ed\s+by\b/i.test(m[0]);
      const claimed = passive ? flip(side) : side;
      const negated = /\b(?:did|does|do)(?:\s+not|n't)\s+(?:(?:\w+ly|really|quite|even|actually)\s+)*$/i;
      said.push(negated.test(before) ? flip(claimed) : claimed);
      rest = rest.replace(m[0], ' ');
    }
    // "holding beat it", "the market was outperformed by the strategy", "holding did not do better".
    for (const m of sentence.matchAll(
      new RegExp(String.raw`\b${CLAIM_NAMES}\s+((?:was\s+|got\s+|did(?:\s+not|n't)\s+)?)${verb}\b`, 'gi'),
    )) {
      const end = (m.index ?? 0) + m[0].length;
      // "the market was outperformed (by the strategy)": passive, the market is the one beaten.
      const passive = /^(?:was|got)\s+$/i.test(m[1] ?? '');
      void end;
      const claimed = passive ? side : flip(side);
      said.push(/n't|not/i.test(m[1] ?? '') ? flip(claimed) : claimed);
      rest = rest.replace(m[0], ' ');
    }
  }
  return said.length > 0 ? { said, rest } : undefined;
}

/** A claim in other words that agrees with the figures, with nothing else weighing, hedging or negating. */
function trueClaim(sentence: string, truth: VersusHolding | undefined): boolean {
  const read = claims(sentence);
  if (read === undefined || truth === undefined || read.said.some((side) => side !== truth)) return false;
  const negations = sentence.match(NEGATIONS)?.length ?? 0;
  const negatedVerb = /\b(?:did|does|do)(?:\s+not|n't)\s+\w+/i.test(sentence);
  if (negations > 1 || (negations === 1 && !negatedVerb) || HEDGES.test(sentence)) return false;
  const rest = read.rest.replace(/\b(?:the\s+strategy|it|simply|over\s+the\s+(?:same\s+)?period)\b/gi, ' ');
  return !comparesOrImagines(rest) && !/\d\s?%/.test(rest);
}

/**
 * The sentences of `reply` that compare the strategy with holding in a form this check doesn't read,
 * or where the claim or a figure disagrees with the stored result; and any sentence giving the strategy
 * a return that isn't its own.
 */
export function contradictedComparisons(reply: string, summary: BacktestSummary): string[] {
  const sentences = sentencesOf(reply);
  const holdingNamed = sentences.some((s) => NAMES_HOLDING.test(s.read));
  const market = summary.marketChange;
  const truth = market === null ? undefined : versusHolding(summary.profitTotal, market);
  const marketFigure = market === null ? undefined : pct(Math.abs(market)).replace('%', '');
  const refused = (sentence: string): boolean => {
    const form = plainForm(sentence, summary);
    if (form !== undefined) return !form;
    if (wrongReturn(sentence, summary) || wrongMetric(inDigits(sentence), summary)) return true;
    // Every sentence naming holding is a plain form or a true, unhedged claim: a verdict on holding in
    // any other words ("holding was the wrong call", "the market was flat") can't be checked.
    if (NAMES_HOLDING.test(sentence)) return !trueClaim(sentence, truth);
    // The market's figure belongs to sentences about the market: "Total return: 127.00%" is not one.
    if (
      marketFigure !== undefined &&
      new RegExp(String.raw`(?<![\d.])${marketFigure.replace('.', '\\.')}\s?%`).test(sentence)
    )
      return true;
    // Once holding is named, a verdict on the strategy without figures ("The strategy prevailed.") may be
    // the comparison carried over from the sentence before.
    return (
      holdingNamed &&
      REFERS_TO_STRATEGY.test(sentence) &&
      (comparesOrImagines(sentence) || !/\d/.test(sentence))
    );
  };
  // "It lagged the market. Just kidding.": a reply that takes itself back can't be read at all.
  if (holdingNamed && /\b(?:kidding|joking|jk|or\s+not|sarcas\w*)\b/i.test(reply)) return [reply.trim()];
  return sentences.filter((s) => refused(s.read)).map((s) => s.said);
}

/**
 * The sentences of a chat reply that say how the trader's strategy did against holding: a chat reply has
 * no figures at hand to back that ("yes, your strategy smoked buy and hold"). General talk ("it's hard
 * to beat holding in a bull market") and the question itself ("whether it beat holding") are fine.
 */
export function comparisonsWithHolding(reply: string): string[] {
  const sentences = sentencesOf(reply);
  const holdingNamed = sentences.some((s) => NAMES_HOLDING.test(s.read));
  const aboutTheirs =
    /\b(?:your\s+(?!profit\b|account\b|balance\b)\w+|yours|you|it|its|this\s+strategy|the\s+strategy)\b|^(?:yes|yeah|yep|no|nope|nice)\b/i;
  return sentences
    .filter(
      ({ read }) =>
        holdingNamed &&
        !HYPOTHETICAL.test(read) &&
        aboutTheirs.test(read) &&
        (comparesOrImagines(read) || claims(read) !== undefined),
    )
    .map((s) => s.said);
}
