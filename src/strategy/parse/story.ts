// Offline parser, the trader's story around the rules: "it did alright, like +11% over 6 weeks", "(down
// like 40% lol)", "my last bot lost 9% in two weeks", "I've been running a grid bot for 3 months". A
// clause that tells what happened (a past verb, a date, "lol") and sets no rule (no buy, sell, stop,
// target, when, ...) is background: its figures (percentages, spans of time, sums of money, counts of
// times, years) and the kinds of bot it names are blanked before any reader sees them, and said back, so
// none is taken for a stop, a timeframe or a request, nor asked about. Its pairs, indicators and
// timeframes stay ("I've run a 12/26 EMA cross on ETH hourly since January" is often the strategy). A
// clause that sets a rule keeps everything ("last time I used a 5% stop").
import type { Scan } from './text.ts';

/** Words that set a rule: a percentage beside them is the trader's instruction. */
const RULE =
  /\b(?:buy\w*|sell\w*|enter\w*|entry|exit\w*|cover\w*|stop\w*|sl|tp|take|target\w*|trail\w*|profit\w*|gain\w*|risk\w*|when|whenever|if|once|unless|until|till|want|wants|need|put|set|use|make|give)\b/;
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|in\\s+may)';
/** Words that tell what happened: past verbs, dates, the way people sign off a story. */
const STORY = new RegExp(
  String.raw`\b(?:was|were|did|went|got|made|lost|won|returned|ran|ripped|bounced|dumped|pumped|beat|ended|been|had|seen|saw|claims?|historically|yesterday|ago|since|lol|ugh|ouch|fwiw|lesson|on\s+paper|of\s+the\s+time|last\s+(?:time|year|month|week|cycle|attempt|run)|this\s+(?:month|year|week)|(?:19|20)\d\d|${MONTH})\b`,
);
/** The figures of a story: "+11%", "50%+", "over 6 weeks", "in like 20 min", "$1,200", "4 times", "2022". */
const FIGURE = new RegExp(
  [
    String.raw`[-+]?\d+(?:\.\d+)?\s*%\+?`,
    String.raw`\b(?:in|over|for|within|after)\s+(?:like\s+|about\s+|maybe\s+|roughly\s+|around\s+|the\s+(?:last|past)\s+)?(?:\d+|a|an|one|two|three|four|five|six|a\s+couple(?:\s+of)?)\s+(?:min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\b`,
    String.raw`-?\$\s?\d[\d,.]*k?\b|\b\d[\d,.]*k?\s*(?:usd|usdt|dollars|bucks)\b`,
    String.raw`\b\d+\s+times\b`,
    String.raw`\b(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?\b`,
    // The kinds of bot the parser refuses (guards.ts), named as what the trader ran before.
    String.raw`\b(?:grid|dca|martingale)\b`,
  ].join('|'),
  'g',
);
/** Where a sentence ends. */
const SENTENCE = /[.!?\n]+(?=\s|$)/g;
/** Where a clause ends inside a sentence; an aside in brackets belongs to the clause it interrupts. */
const CLAUSE = /[,;:]|\s(?:and|but|so|because|while|though|although|then)\s/g;

/** The [start, end) spans of `text` cut at `cut`'s matches. */
function spans(text: string, cut: RegExp, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  for (const m of text.slice(from, to).matchAll(cut)) {
    const at = from + (m.index ?? 0);
    out.push([start, at]);
    start = at + m[0].length;
  }
  out.push([start, to]);
  return out;
}

/** Blanks the story's figures in `scan` and says them back in one line; the text keeps its length. */
export function setStoryAside(scan: Scan): void {
  const text = scan.lower;
  const told: string[] = [];
  for (const sentence of spans(text, SENTENCE, 0, text.length)) {
    const inSentence = text.slice(...sentence);
    const storySentence = STORY.test(inSentence) && !RULE.test(inSentence);
    for (const [from, to] of spans(text, CLAUSE, ...sentence)) {
      const clause = text.slice(from, to);
      if (RULE.test(clause) || !(storySentence || STORY.test(clause))) continue;
      for (const m of clause.matchAll(FIGURE)) {
        const at = from + (m.index ?? 0);
        const blank = ' '.repeat(m[0].length);
        told.push(scan.original.slice(at, at + m[0].length).trim());
        scan.lower = scan.lower.slice(0, at) + blank + scan.lower.slice(at + m[0].length);
        scan.original = scan.original.slice(0, at) + blank + scan.original.slice(at + m[0].length);
      }
    }
  }
  if (told.length > 0)
    scan.assumed.push(`Read as background, not as rules: ${told.map((t) => `"${t}"`).join(', ')}.`);
}
