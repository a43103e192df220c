// Offline parser, term rules for OBV measured against itself: "OBV crosses above its 20 EMA" (an average
// of OBV), "OBV makes a new high" and "OBV breaks out" (OBV above the highest OBV of the candles before).
// OBV's level means nothing on its own, so these are how traders use it. They run before the other
// rules, while "obv" is still in the text for "its" to refer to.
import type { Condition, Series } from '../spec.ts';
import { inCandles } from './bands.ts';
import { type TermRule, UNIT } from './terms.ts';

const OBV = String.raw`(?:obv|on[\s-]balance\s+volume)`;
const MA = '(sma|ema|wma|ma)';
/** Candles a "new high" looks back over when the trader gives none. */
const NEW_HIGH_CANDLES = 20;

function obvAverage(word: string | undefined, period: string | undefined): Series {
  const kind = word === 'ema' ? 'ema' : word === 'wma' ? 'wma' : 'sma';
  return { kind, period: Number(period), source: 'obv' };
}

export const OBV_RULES: readonly TermRule[] = [
  // "obv crosses above its 20 ema", "obv over its sma(20)", "obv above the obv ema 21", "its own 10-candle
  // average" (an average named without its kind: the simple one); not "its" after another series named
  // since ("obv rising and volume above its 30 period avg")
  {
    pattern: new RegExp(
      String.raw`(?<=\b${OBV}\b(?:(?!\b(?:volume|vol|price|close|rsi|macd|mfi|cci)\b)[^,;.])*?)\b(?:its|the\s+obv(?:'s)?|obv(?:'s)?)\s+(?:own\s+)?(?:(\d+)${UNIT}\s*-?\s*(?:${MA}|average|avg|mean)\b|${MA}\s*\(?\s*(\d+)\s*\)?|(?:average|avg|mean)\s*\(?\s*(\d+)\s*\)?)`,
      'g',
    ),
    build: (g) =>
      g[0] !== undefined
        ? obvAverage(g[1], g[0])
        : g[4] !== undefined
          ? obvAverage('sma', g[4])
          : obvAverage(g[2], g[3]),
  },
  // "obv makes a new high", "obv at a new 50 candle high", "obv breaks to new highs", "obv breaks out",
  // "obv breaks its 30 day high", "obv makes a 20 bar high"
  {
    pattern: new RegExp(
      String.raw`\b${OBV}\s+(?:(?:makes?|making|made|prints?|printing|hits?|hitting|at|reach(?:es)?|reaching|sets?|setting|(?:breaks?|breaking|broke)(?:\s+(?:out\s+)?(?:to|into|above|over|through))?)\s+(?:a\s+|its\s+|the\s+)?(?:(?:fresh\s+|new\s+)+(?:(\d+)${UNIT}\s+)?|(\d+)\s*-?\s*(period|day|bar|candle|week)s?\s+)(high|low)s?|(break(?:s|ing)?\s*out|breakout)|(break(?:s|ing)?\s*down|breakdown))\b`,
      'g',
    ),
    build: (g, ctx): Condition => {
      const [fresh, count, unit, side, out] = g;
      const up = side === 'high' || out !== undefined;
      const said = fresh ?? count;
      const period = Number(said === undefined ? NEW_HIGH_CANDLES : (inCandles(count, unit, ctx) ?? said));
      if (said === undefined) {
        ctx.scan?.assumed.push(
          `OBV's ${up ? 'new high' : 'new low'} read as OBV ${up ? 'above its highest' : 'below its lowest'} of the last ${period} candles.`,
        );
      }
      return {
        op: up ? 'above' : 'below',
        left: { kind: 'obv' },
        right: { kind: 'donchian', period, output: up ? 'upper' : 'lower', source: 'obv' },
      };
    },
  },
];
