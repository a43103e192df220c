// Claims an explanation makes about the strategy against simply holding ("it beat the market", "holding
// did better"), read against the stored figures. A claim the figures contradict is as invented as a
// number: "it outperformed buy and hold" on +3.04% against a +127% market reached a trader once.
// Comparisons come in endless wordings, so the check is a whitelist: a sentence that names holding and
// compares the strategy with it must do so in words read here, and then agree with the figures; any
// other comparison with holding ("left buy and hold in the dust") can't be checked and is refused too.
import type { BacktestSummary } from '../../src/backtest/summary.ts';
import { wordFigures } from './number-words.ts';

const HOLDING = String.raw`(?:simply\s+|just\s+|passive(?:ly)?\s+)?(?:holding|hodl(?:ing|ers?)?|hold(?:ing)?\s+(?:it|the\s+coin|btc|the\s+pair)|buy[-\s]and[-\s]hold|the\s+market|the\s+coin|the\s+benchmark|the\s+underlying)`;
// Traders' stronger words count as the same claim: "crushed buy and hold", "blew away the market".
const AHEAD = String.raw`(?:(?:crush(?:ed|es|ing)?|smash(?:ed|es|ing)?|trounc(?:ed|es|ing)|destroy(?:ed|s|ing)?|dwarf(?:ed|s|ing)?)(?!\s+by\b)|blew\s+away|blow(?:s|ing)?\s+away|beat|beats|beating|outperform(?:ed|s|ing)?|outpac(?:ed|es|ing)|outran|outd(?:id|o|oes|oing)|topped|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|superior\s+to|d(?:id|o|oes|one)\s+better(?:\s+than)?|(?:made|earned|returned|gained)\s+(?:\w+\s+){0,2}?more(?:\s+\w+){0,2}?\s+than|better\s+than|ahead\s+of)`;
const BEHIND = String.raw`(?:(?:got\s+)?crushed\s+by|(?:got\s+)?beaten\s+by|underperform(?:ed|s|ing)?|lagg(?:ed|ing)|lags|trail(?:ed|s|ing)|fell\s+short\s+of|los(?:t|es|ing)\s+to|inferior\s+to|d(?:id|o|oes|one)\s+worse(?:\s+than)?|(?:made|earned|returned|gained)\s+(?:\w+\s+){0,2}?less(?:\s+\w+){0,2}?\s+than|worse\s+than|behind)`;
const NEGATION =
  /\b(?:not|never|no|failed\s+to|didn't|did\s+not|doesn't|does\s+not|couldn't|wasn't|isn't)\b[^,;]*$/i;
// Words that compare or rank: in a sentence naming holding without a claim read above, a comparison the
// check can't verify. Plain statements of the market's move ("the market changed +36.08%") have none.
const COMPARES =
  /\b(?:more|less|fewer|better|worse|best|worst|than|beat\w*|outperform\w*|underperform\w*|out\w+ed|superior|inferior|ahead|behind|dust|floor|crush\w*|dwarf\w*|surpass\w*|exceed\w*|trail\w*|lag\w*|topp\w*|edged?|won|wins?|winning|los[et]\w*|fraction|third|quarter|half|twice|double\w*|triple\w*|times|\w+fold|match\w*|same\s+as|equal\w*|compar\w*|relative|versus|vs|against|unlike|whereas|while)\b|\w+er\s+than/i;
/** "ahead" or "behind" for each claim in `sentence`, negations turned around; the holding side first when it leads. */
function claims(sentence: string): ('ahead' | 'behind')[] {
  const out: ('ahead' | 'behind')[] = [];
  const flip = (side: 'ahead' | 'behind'): 'ahead' | 'behind' => (side === 'ahead' ? 'behind' : 'ahead');
  for (const [verb, side] of [
    [AHEAD, 'ahead'],
    [BEHIND, 'behind'],
  ] as const) {
    // "it beat holding": the strategy is the subject.
    for (const m of sentence.matchAll(new RegExp(String.raw`\b${verb}\b[^.;]{0,40}?\b${HOLDING}\b`, 'gi'))) {
      const before = sentence.slice(0, m.index ?? 0);
      // "holding beat it": the market is the subject, so the strategy is on the other side.
      const holdingLeads = new RegExp(String.raw`\b${HOLDING}\s+(?:\w+\s+){0,2}$`, 'i').test(before);
      // "the strategy was outperformed by the market": the passive puts the market ahead.
      const passive =
        /\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+\s+)?$/i.test(before) &&
        /^\w+ed\s+by\b/i.test(m[0]);
      const claimed = holdingLeads !== passive ? flip(side) : side;
      out.push(NEGATION.test(before) ? flip(claimed) : claimed);
    }
    for (const m of sentence.matchAll(
      new RegExp(String.raw`\b${HOLDING}\s+(?:\w+\s+){0,2}?${verb}\b`, 'gi'),
    )) {
      if (new RegExp(String.raw`\b${verb}\b[^.;]{0,40}?\b${HOLDING}\b`, 'i').test(m[0])) continue;
      const end = (m.index ?? 0) + m[0].length;
      // "the market was outperformed by the strategy": the passive turns the sides around again.
      const passive =
        /\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+\s+)?\w+ed$/i.test(m[0]) &&
        /^\s+by\b/i.test(sentence.slice(end));
      const claimed = passive ? side : flip(side);
      out.push(NEGATION.test(sentence.slice(0, end)) ? flip(claimed) : claimed);
    }
  }
  return out;
}

const sentencesOf = (reply: string) =>
  reply
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
const namesHolding = (sentence: string) => new RegExp(String.raw`\b${HOLDING}\b`, 'i').test(sentence);
/** A sentence naming holding that compares with it in words the claims above don't read: a multiple too. */
const unverifiable = (sentence: string) =>
  namesHolding(sentence) && (COMPARES.test(sentence) || wordFigures(sentence).some((w) => w.multiple));

/**
 * The sentences of `reply` that compare the strategy with holding where the stored figures contradict
 * the claim, or in words this check can't read (so can't verify).
 */
export function contradictedComparisons(reply: string, summary: BacktestSummary): string[] {
  const market = summary.marketChange;
  const truth =
    market === null
      ? undefined
      : summary.profitTotal > market
        ? 'ahead'
        : summary.profitTotal < market
          ? 'behind'
          : 'even';
  return sentencesOf(reply).filter((sentence) => {
    const said = claims(sentence);
    if (said.length > 0) return truth === undefined || said.some((claim) => claim !== truth);
    return unverifiable(sentence);
  });
}

/**
 * The sentences of a chat reply that compare a strategy with holding: a chat reply has no figures at
 * hand to back such a claim ("yes, it comfortably beat buy and hold"), so none may make one.
 */
export function comparisonsWithHolding(reply: string): string[] {
  return sentencesOf(reply).filter((sentence) => claims(sentence).length > 0 || unverifiable(sentence));
}
