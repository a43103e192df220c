// Claims an explanation makes about the strategy against simply holding ("it beat the market", "holding
// did better"), read against the stored figures. A claim the figures contradict is as invented as a
// number: "it outperformed buy and hold" on +3.04% against a +127% market reached a trader once.
// Comparisons come in endless wordings, so a sentence that names holding (or the market, HODL, the
// index ...) passes only when
// - every comparison in it is in words read here and agrees with the figures,
// - every figure it gives the market or the strategy is that one's own (not the two swapped), and
// - it compares in no other way ("left buy and hold in the dust", "a fraction of what holding made"):
//   those can't be checked, so they are refused too.
// A plain statement ("the market changed 127.00% while the strategy made 3.04%") passes.
import type { BacktestSummary } from '../../src/backtest/summary.ts';
import { pct } from '../../src/core/format.ts';
import { wordFigures } from './number-words.ts';

/** How the strategy did against holding, on the figures as the card shows them (to 0.01%). */
export type VersusHolding = 'ahead' | 'behind' | 'even';

export function versusHolding(profit: number, market: number): VersusHolding {
  const [a, b] = [pct(profit), pct(market)].map(Number.parseFloat) as [number, number];
  return a > b ? 'ahead' : a < b ? 'behind' : 'even';
}

const HOLDING = String.raw`(?:simply\s+|just\s+|passive(?:ly)?\s+)?(?:passive\s+(?:investors?|holders?|traders?|investing)|sitting\s+on\s+(?:your|the|its)\s+coins?|holding|hodl(?:ing|ers?)?|holders?|hold(?:ing)?\s+(?:it|the\s+coin|btc|eth|the\s+pair)|buy[-\s]and[-\s]hold(?:ing)?|(?:the\s+)?(?:broader|overall|wider|whole|general|crypto|underlying|coin'?s|pair'?s)\s+market|(?:the|a)\s+market|market-beating|the\s+coin|the\s+benchmark|the\s+underlying|the\s+index|the\s+asset|(?:btc|bitcoin|eth|ether|sol)\s+itself|had\s+you\s+(?:just\s+)?held|if\s+you\s+(?:had\s+)?(?:just\s+)?held)`;
const NAMES_HOLDING = new RegExp(String.raw`\b${HOLDING}\b`, 'i');
// Traders' stronger words count as the same claim: "crushed buy and hold", "blew away the market".
const AHEAD = String.raw`(?:(?:crush(?:ed|es|ing)?|smash(?:ed|es|ing)?|trounc(?:ed|es|ing)|destroy(?:ed|s|ing)?|dwarf(?:ed|s|ing)?)(?!\s+by\b)|blew\s+away|blow(?:s|ing)?\s+away|beat|beats|beating|bested|eclipsed|trumped|overtook|edged\s+(?:out|past)|won\s+against|wins\s+against|out-?(?:perform|pac|d(?:id|o|oes|oing)|earn|gain|r[au]n|shin|shone|class|strip)\w*|topped|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|superior\s+to|d(?:id|o|oes|one)\s+better(?:\s+than)?|(?:made|earned|returned|gained)\s+(?:\w+\s+){0,2}?more(?:\s+\w+){0,2}?\s+than|better\s+than|ahead\s+of)`;
const BEHIND = String.raw`(?:(?:got\s+)?crushed\s+by|(?:got\s+)?beaten\s+by|underperform(?:ed|s|ing)?|lagg(?:ed|ing)|lags|trail(?:ed|s|ing)|fell\s+short\s+of|los(?:t|es|ing)\s+(?:out\s+)?to|inferior\s+to|d(?:id|o|oes|one)\s+worse(?:\s+than)?|(?:made|earned|returned|gained)\s+(?:\w+\s+){0,2}?less(?:\s+\w+){0,2}?\s+than|worse\s+than|behind)`;
const EVEN = String.raw`(?:match(?:es|ed|ing)?|equal(?:s|led|ed|ing)?|kept\s+pace\s+with|keeps?\s+pace\s+with|on\s+par\s+with|in\s+line\s+with|the\s+same\s+as)`;
// A negation right before the verb turns the claim around ("did not beat", "never really beat"); "not
// only", "not just" and "no doubt" don't.
const NEGATED =
  /\b(?:not|never|no|failed\s+to|didn'?t|did\s+not|doesn'?t|does\s+not|couldn'?t|could\s+not|wasn'?t|isn'?t|can'?t|cannot)\s+(?:(?:really|quite|even|actually|manage\s+to|to|do|have)\s+)*$/i;
// Words that compare or rank: in a sentence naming holding without a claim read above, a comparison the
// check can't verify. Neutral joins ("while", "versus", "against") are not among them: a sentence that
// sets the two figures side by side passes when each figure is its own.
const COMPARES =
  /\b(?:more|less|fewer|better|worse|than|beat\w*|outperform\w*|underperform\w*|out-?\w+(?:ed|did|ran)|superior|inferior|ahead|behind|dust|floor|crush\w*|dwarf\w*|surpass\w*|exceed\w*|trail\w*|lag\w*|topp\w*|edge[ds]?|eclips\w*|trump\w*|overt[ao]\w*|envi\w*|jealous\w*|captur\w*|(?:most|all|much|part|share|portion|some)\s+of\s+(?:that|the|this|its)\s+(?:\w+\s+)?(?:move|gain|rise|rally|upside|run|trend|increase)|(?:weak|strong|smart|saf|risk|poor|rich|great|slow|fast|wis)i?er|candle|poor\w*|came\s+second|second\s+(?:place|best)|as\s+(?:well|much|good|high|badly)|fraction|third|quarter|(?<!(?:first|second|last|other)\s)half|twice|double\w*|triple\w*|times|\w+fold|match\w*|same\s+as|equal\w*|par|pace|compar\w*|relative|unlike|lower|higher|bigger|smaller|larger)\b|\w+er\s+than/i;
// Who a figure belongs to: within a few words after the market's or the strategy's name.
const PERCENT = String.raw`[-+]?(\d+(?:\.\d+)?)\s?%`;
const MARKET_FIGURE = new RegExp(
  String.raw`\b${HOLDING}(?:'s)?\s*(?::|\s)\s*(?:[a-z]+\s+){0,4}?${PERCENT}|${PERCENT}\s+(?:for|from|by)\s+${HOLDING}`,
  'gi',
);
const STRATEGY_FIGURE = new RegExp(
  String.raw`\b(?:it|the\s+strategy|strategy|the\s+bot|your\s+strategy|this\s+strategy)(?:'s)?\s*(?::|\s)\s*(?:[a-z]+\s+){0,4}?${PERCENT}`,
  'gi',
);
const REFERS_TO_IT =
  /^(?:yes|yeah|yep|no|nope)\b|\b(?:it|this\s+strategy|your\s+strategy|the\s+strategy|yours|this\s+one|that\s+one)\b/i;

type Claim = VersusHolding;

const flip = (side: Claim): Claim => (side === 'ahead' ? 'behind' : side === 'behind' ? 'ahead' : 'even');

/** Each claim `sentence` makes about the strategy against holding, negations turned around. */
function claims(sentence: string): Claim[] {
  const out: Claim[] = [];
  for (const [verb, side] of [
    [AHEAD, 'ahead'],
    [BEHIND, 'behind'],
    [EVEN, 'even'],
  ] as const) {
    // "it beat holding": the strategy is the subject.
    for (const m of sentence.matchAll(new RegExp(String.raw`\b${verb}\b[^.;]{0,40}?\b${HOLDING}\b`, 'gi'))) {
      const before = sentence.slice(0, m.index ?? 0);
      // "holding beat it": the market is the subject, so the strategy is on the other side.
      const holdingLeads = new RegExp(String.raw`\b${HOLDING}\s+(?:\w+\s+){0,2}$`, 'i').test(before);
      // "the strategy was outperformed by the market": the passive puts the market ahead.
      const passive =
        /\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+\s+)?$/i.test(before) &&
        /^[\w-]+ed\s+by\b/i.test(m[0]);
      const claimed = holdingLeads !== passive ? flip(side) : side;
      out.push(NEGATED.test(before) ? flip(claimed) : claimed);
    }
    for (const m of sentence.matchAll(
      new RegExp(String.raw`\b${HOLDING}\s+(?:[\w']+\s+){0,3}?${verb}\b`, 'gi'),
    )) {
      if (new RegExp(String.raw`\b${verb}\b[^.;]{0,40}?\b${HOLDING}\b`, 'i').test(m[0])) continue;
      const end = (m.index ?? 0) + m[0].length;
      const verbAt = m[0].search(new RegExp(`${verb}$`, 'i'));
      const beforeVerb = m[0].slice(0, verbAt);
      const passive =
        /\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+\s+)?$/i.test(beforeVerb) &&
        /^\s+by\b/i.test(sentence.slice(end));
      const claimed = passive ? side : flip(side);
      out.push(NEGATED.test(beforeVerb) ? flip(claimed) : claimed);
    }
  }
  return out;
}

/** A figure given to the market or the strategy that is not its own ("the market changed 3.04%"). */
function misattributed(sentence: string, summary: BacktestSummary): boolean {
  const own = (ratio: number | null) => (ratio === null ? '' : pct(Math.abs(ratio)));
  const wrong = (pattern: RegExp, ratio: number | null) =>
    [...sentence.matchAll(pattern)].some((m) => {
      const value = m[1] ?? m[2];
      return value !== undefined && `${Number(value).toFixed(2)}%` !== own(ratio);
    });
  return wrong(MARKET_FIGURE, summary.marketChange) || wrong(STRATEGY_FIGURE, summary.profitTotal);
}

const sentencesOf = (reply: string) =>
  reply
    .split(/(?<=[.!?;])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);

/** A comparison with holding in words the claims don't read, a multiple among them. */
const HOLDING_DID_NOT = new RegExp(
  String.raw`\b${HOLDING}\s+(?:did|does|do|would|could|has|had)(?:\s+not|n'?t)\b`,
  'i',
);
const comparesOtherwise = (sentence: string) =>
  COMPARES.test(sentence) || HOLDING_DID_NOT.test(sentence) || wordFigures(sentence).some((w) => w.multiple);

/**
 * The sentences of `reply` that compare the strategy with holding where the stored figures contradict
 * the claim, give the market or the strategy a figure not its own, or compare in words this check can't
 * read (so can't verify).
 */
export function contradictedComparisons(reply: string, summary: BacktestSummary): string[] {
  const market = summary.marketChange;
  const truth = market === null ? undefined : versusHolding(summary.profitTotal, market);
  return sentencesOf(reply).filter((sentence) => {
    const said = claims(sentence);
    if (said.length > 0) return truth === undefined || said.some((claim) => claim !== truth);
    if (!NAMES_HOLDING.test(sentence)) return false;
    return misattributed(sentence, summary) || comparesOtherwise(sentence);
  });
}

/**
 * The sentences of a chat reply that compare the trader's strategy with holding: a chat reply has no
 * figures at hand to back such a claim ("yes, it comfortably beat buy and hold"), so none may make one.
 * General talk ("many strategies fail to beat buy and hold after fees") is not about theirs.
 */
export function comparisonsWithHolding(reply: string): string[] {
  return sentencesOf(reply).filter(
    (sentence) =>
      REFERS_TO_IT.test(sentence) &&
      (claims(sentence).length > 0 || (NAMES_HOLDING.test(sentence) && comparesOtherwise(sentence))),
  );
}
