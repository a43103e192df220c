// Offline parser, volume measured against its own average: "volume is twice its average", "volume above
// 1.5x the 20-candle average", "3 times the average volume", "on a volume spike". One more entry
// condition, volume above N times its average (20 candles unless named, a spike is twice it), with
// each default said back.
import type { Condition } from '../spec.ts';
import { UNIT } from './terms.ts';
import { fail, type Scan, takeAll } from './text.ts';

const DEFAULT_PERIOD = 20;
const SPIKE_TIMES = 2;
const FACTOR = String.raw`(twice|double|triple|(\d+(?:\.\d+)?)\s*(?:x|times))`;
const AVG = '(?:average|avg|mean|sma|ma|normal|usual)';
const SURGE = [
  // "volume spike 3x average", "a volume surge of twice the average"
  new RegExp(
    String.raw`\b(?:an?\s+)?volume\s+(?:spike|surge|burst)s?\s+(?:of\s+)?(?:at\s+least\s+|over\s+|above\s+)?${FACTOR}\s+(?:the\s+|its\s+)?(?:(\d+)${UNIT}\s+)?${AVG}(?:\s+volume)?(?:\s*\(\s*(\d+)\s*\))?`,
    'g',
  ),
  // "volume (is) (like) (at least|above) twice its (20-candle) average (volume)"
  new RegExp(
    String.raw`\bvolume\s+(?:is\s+)?(?:like\s+|about\s+|around\s+|roughly\s+)?(?:at\s+least\s+|above\s+|over\s+|more\s+than\s+|greater\s+than\s+|>\s*)?${FACTOR}\s+(?:the\s+|its\s+)?(?:(\d+)${UNIT}\s+)?(?:volume\s+)?${AVG}(?:\s+volume)?(?:\s*\(\s*(\d+)\s*\))?`,
    'g',
  ),
  // "twice the (20-candle) average volume", "2x average volume"
  new RegExp(String.raw`\b${FACTOR}\s+(?:the\s+|its\s+)?(?:(\d+)${UNIT}\s+)?${AVG}\s+volume\b`, 'g'),
];
const SPIKE = /\b(?:on\s+an?\s+|with\s+an?\s+|and\s+an?\s+|an?\s+)?volume\s+(?:spike|surge|burst)s?\b/g;

function factorOf(word: string | undefined, number: string | undefined): number {
  if (word === 'twice' || word === 'double') return 2;
  if (word === 'triple') return 3;
  const n = Number(number);
  if (!(n >= 0.1 && n <= 100)) fail(`I can compare volume with 0.1 to 100 times its average, not ${number}.`);
  return n;
}

/** The volume conditions the text names, taken out of it; call before the timeframe reader. */
export function readVolumeSurge(scan: Scan): Condition[] {
  const found: Condition[] = [];
  const add = (times: number, period: number) =>
    found.push({
      op: 'above',
      left: { kind: 'price', field: 'volume' },
      right: { kind: 'volume_sma', period },
      times,
    });
  for (const pattern of SURGE) {
    for (const hit of takeAll(scan, pattern)) {
      const [word, number, period, inner] = hit.groups;
      const named = period || inner || undefined;
      if (named === undefined) scan.assumed.push(`Volume average over ${DEFAULT_PERIOD} candles.`);
      add(factorOf(word, number), named === undefined ? DEFAULT_PERIOD : Number(named));
    }
  }
  for (const _ of takeAll(scan, SPIKE)) {
    scan.assumed.push(
      `"Volume spike" read as volume above ${SPIKE_TIMES} x its ${DEFAULT_PERIOD}-candle average.`,
    );
    add(SPIKE_TIMES, DEFAULT_PERIOD);
  }
  return found;
}
