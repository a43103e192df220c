// Claims an explanation makes about the strategy against simply holding ("it beat the market", "holding
// did better"), read against the stored figures. A claim the figures contradict is as invented as a
// number: "it outperformed buy and hold" on +3.04% against a +127% market reached a trader once.
import type { BacktestSummary } from '../../src/backtest/summary.ts';

const HOLDING = String.raw`(?:simply\s+|just\s+)?(?:holding|hold(?:ing)?\s+(?:it|the\s+coin|btc|the\s+pair)|buy[-\s]and[-\s]hold|the\s+market|the\s+coin|the\s+benchmark)`;
// Traders' stronger words count as the same claim: "crushed buy and hold", "blew away the market".
const AHEAD = String.raw`(?:(?:crush(?:ed|es|ing)?|smash(?:ed|es|ing)?|trounc(?:ed|es|ing)|destroy(?:ed|s|ing)?|dwarf(?:ed|s|ing)?)(?!\s+by\b)|blew\s+away|blow(?:s|ing)?\s+away|beat|beats|beating|outperform(?:ed|s|ing)?|outpac(?:ed|es|ing)|outran|topped|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|d(?:id|o|oes)\s+better(?:\s+than)?|(?:made|earned|returned|gained)\s+more\s+than|better\s+than|ahead\s+of)`;
const BEHIND = String.raw`(?:(?:got\s+)?crushed\s+by|(?:got\s+)?beaten\s+by|underperform(?:ed|s|ing)?|lagg(?:ed|ing)|lags|trail(?:ed|s|ing)|fell\s+short\s+of|d(?:id|o|oes)\s+worse(?:\s+than)?|(?:made|earned|returned|gained)\s+less\s+than|worse\s+than|behind)`;
const NEGATION =
  /\b(?:not|never|no|failed\s+to|didn't|did\s+not|doesn't|does\s+not|couldn't|wasn't|isn't)\b[^,;]*$/i;

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
      const claimed = holdingLeads ? flip(side) : side;
      out.push(NEGATION.test(before) ? flip(claimed) : claimed);
    }
    for (const m of sentence.matchAll(
      new RegExp(String.raw`\b${HOLDING}\s+(?:\w+\s+){0,2}?${verb}\b`, 'gi'),
    )) {
      if (new RegExp(String.raw`\b${verb}\b[^.;]{0,40}?\b${HOLDING}\b`, 'i').test(m[0])) continue;
      const claimed = flip(side);
      out.push(NEGATION.test(sentence.slice(0, (m.index ?? 0) + m[0].length)) ? flip(claimed) : claimed);
    }
  }
  return out;
}

/** The sentences of `reply` whose claim about holding the stored figures contradict. */
export function contradictedComparisons(reply: string, summary: BacktestSummary): string[] {
  const market = summary.marketChange;
  if (market === null) return [];
  const truth = summary.profitTotal > market ? 'ahead' : summary.profitTotal < market ? 'behind' : 'even';
  return reply
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => claims(sentence).some((claim) => claim !== truth))
    .map((sentence) => sentence.trim());
}
