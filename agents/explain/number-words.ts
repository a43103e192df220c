// Figures written in words: "forty-two percent", "three of seven trades", "twice", "half", "three times",
// "about double", "2x". A model that may not state numbers of its own writes them this way too, so the
// grounding checks read them as figures. A multiple or a fraction is always a figure the model worked
// out itself (a ratio of two others), never one a card shows.

import { NUMBER_ONES, NUMBER_TENS } from '../../src/strategy/number-names.ts';

/** A figure found in words: a plain number (with % when it is a percentage) or a multiple (x2, x0.5). */
export type WordFigure = { raw: string; canonical: string; multiple: boolean };

const ONES = NUMBER_ONES;
const TENS = NUMBER_TENS;
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };
const DIGIT_WORDS = 'zero|one|two|three|four|five|six|seven|eight|nine';

const NUMBER_WORD = [...Object.keys(ONES), ...Object.keys(TENS), ...Object.keys(SCALES)].join('|');
const PHRASE = new RegExp(
  `\\b(?:(?:minus|negative)\\s+)?(?:an?\\s+(?=(?:hundred|thousand|million|billion|dozen)\\b))?(?:${NUMBER_WORD})\\b` +
    `(?:(?:\\s+and\\s+|\\s+|-)(?:${NUMBER_WORD})\\b)*(?:\\s+point(?:\\s+(?:${DIGIT_WORDS})\\b)+)?`,
  'gi',
);
const PERCENT_AFTER = /^\s*-?\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b|pct\b|pc\b)/i;
const TIMES_AFTER = /^\s*-?\s*(?:times\b|fold\b|x\b)/i;

const MULTIPLE_WORDS: [RegExp, number][] = [
  [/\b(?:twice|doubl(?:e|ed|es|ing))\b(?![- ](?:top|bottom|check|checked|checking|cross|click)s?\b)/gi, 2],
  [/\b(?:thrice|tripl(?:e|ed|es|ing))\b(?![- ](?:top|bottom)s?\b)/gi, 3],
  [/\bquadrupl(?:e|ed|es|ing)\b/gi, 4],
  [/\b(?:ten|hundred)fold\b/gi, 0],
  // "sevenfold", "sixtyfold", "a sixteenfold gain": any number word before -fold.
  [
    new RegExp(
      String.raw`\b(?:${Object.keys({ ...NUMBER_ONES, ...NUMBER_TENS })
        .filter((w) => w !== 'ten')
        .join('|')}|thousand)-?fold\b`,
      'gi',
    ),
    1,
  ],
  // "three-sevenths", "two fifths": a fraction in words.
  [
    /\b(?:one|two|three|four|five|six|seven|eight|nine|ten)[\s-]+(?:halves|thirds|quarters|fifths|sixths|sevenths|eighths|ninths|tenths|hundredths)\b/gi,
    1,
  ],
  // "a factor of three", "an order of magnitude", "a couple of percent", "a few percent".
  [
    /\b(?<!profit\s+)(?:a\s+)?factor\s+of\s+\w+|\borders?\s+of\s+magnitude\b|\b(?:a\s+)?(?:couple|few)\s+(?:of\s+)?(?:percent|per\s+cent|%)/gi,
    1,
  ],
  // "a fortieth of what holding made", "one hundredth": a fraction in an ordinal word.
  [
    /\b(?:an?|one)[\s-]+(?:(?:twen|thir|for|fif|six|seven|eigh|nine)tieths?|hundredths?|thousandths?|(?:four|fif|six|seven|eigh|nin|eleven|twelf|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)ths?|sixths?|sevenths?|eighths?|ninths?)\b/gi,
    1,
  ],
  // "one in three", "two out of every five": a ratio the model worked out. "3 out of 7 trades" names two
  // counts, each checked as a figure.
  [
    /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:(?:in|out\s+of|of)\s+(?:every|each)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b|(?:in|out\s+of|of)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b(?!\s+(?:of\s+(?:its|the)\s+)?trades?\b))/gi,
    1,
  ],
  // "the first half of 2024" names a period, not a figure.
  [/\b(?<!(?:first|second|last|other|back|front)\s+)(?:half|halved|halve|halves|halving)\b/gi, 0.5],
  [/\b(?:an?|one)[\s-]+third\b|\bthirds\b/gi, 1 / 3],
  [/\b(?:an?|one)[\s-]+fifth\b|\bfifths\b/gi, 0.2],
  [/\b(?:an?|one)[\s-]+tenth\b|\btenths\b/gi, 0.1],
  [
    /\b(?<!(?:first|second|third|fourth|last|each|every|this|next|previous)\s+)(?:an?|one)\s+quarter\b|\bquarters\b/gi,
    0.25,
  ],
];
const DIGIT_MULTIPLE =
  /(?<![\w.])(\d+(?:\.\d+)?)\s*(?:x|×|⨉|✕|✖|-fold|fold)(?![\w])|(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*times\b|(?<![\w.])[x×⨉✕✖]\s?(\d+(?:\.\d+)?)(?![\w.%])/gi;

function phraseValue(words: string[]): number | null {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words) {
    if (w === 'and' || w === 'a' || w === 'an') continue;
    const one = ONES[w];
    const ten = TENS[w];
    const scale = SCALES[w];
    if (one !== undefined) current += one;
    else if (ten !== undefined) current += ten;
    else if (scale !== undefined) {
      current = (current || 1) * scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
    } else return null;
    seen = true;
  }
  return seen ? total + current : null;
}

const round = (n: number) => String(Number(n.toFixed(6)));

/** Numbers in words, as canonical strings ("42%", "-1.3%", "7"); "one" alone is an article, not a figure. */
function spelledNumbers(text: string): WordFigure[] {
  const out: WordFigure[] = [];
  for (const m of text.matchAll(PHRASE)) {
    const raw = m[0];
    const lower = raw.toLowerCase();
    const [whole = '', decimals] = lower.split(/\s+point\s+/);
    const negative = /^(?:minus|negative)\s/.test(whole);
    const words = whole
      .replace(/^(?:minus|negative)\s+/, '')
      .split(/[\s-]+/)
      .filter(Boolean);
    const value = phraseValue(words);
    if (value === null) continue;
    const after = text.slice((m.index ?? 0) + raw.length);
    const percent = PERCENT_AFTER.test(after);
    const times = TIMES_AFTER.exec(after)?.[0] ?? '';
    if (words.length === 1 && words[0] === 'one' && !percent && !times && decimals === undefined) continue;
    const fraction = decimals
      ? `.${decimals
          .split(/\s+/)
          .map((d) => String(ONES[d] ?? ''))
          .join('')}`
      : '';
    const number = `${negative ? '-' : ''}${value}${fraction}`;
    if (times)
      out.push({ raw: `${raw}${times}`.trim(), canonical: `x${round(Number(number))}`, multiple: true });
    else out.push({ raw: raw.trim(), canonical: `${number}${percent ? '%' : ''}`, multiple: false });
  }
  return out;
}

/** Multiples and fractions: "twice", "about double", "half", "a third", "3x", "1.5 times", "tenfold". */
function multiples(text: string): WordFigure[] {
  const out: WordFigure[] = [];
  for (const [pattern, factor] of MULTIPLE_WORDS) {
    for (const m of text.matchAll(pattern)) {
      // 0: ten- or hundredfold; 1: a multiple whose size doesn't matter here, only that it is one.
      const value = factor === 0 ? (m[0].toLowerCase().startsWith('ten') ? 10 : 100) : factor;
      out.push({ raw: m[0], canonical: `x${round(value)}`, multiple: true });
    }
  }
  for (const m of text.matchAll(DIGIT_MULTIPLE)) {
    out.push({ raw: m[0], canonical: `x${round(Number(m[1] ?? m[2] ?? m[3]))}`, multiple: true });
  }
  return out;
}

/** Every figure written in words (or as a digit multiple) in `text`, in no particular order. */
export function wordFigures(text: string): WordFigure[] {
  return [...spelledNumbers(text), ...multiples(text)];
}
