// Offline parser, term rules for MACD: "macd", "macd line", "macd(12,26,9)", "macd 8/21/5 histogram",
// "macd signal", "its signal", "the signal line", "histogram". Parameters default to the conventional
// 12/26/9; a MACD named again without them, a bare "signal" or "histogram" reuses the parameters of the
// MACD named before it.

import type { Series } from '../spec.ts';
import { nearestBefore, type TermContext, type TermRule } from './terms.ts';

type Output = 'line' | 'signal' | 'histogram';
type Macd = Extract<Series, { kind: 'macd' }>;

const DEFAULTS = { fast: 12, slow: 26, signal: 9 };
/** "the standard macd", "the slow stochastic": other settings than those named before. */
export function otherSettings(ctx: TermContext): boolean {
  return (
    /\b(?:standard|default|normal|usual|classic|regular|slow|fast|full|another|other|second)\s+$/.test(
      ctx.before ?? '',
    ) || /^\s*(?:slow|fast|full)\b/.test(ctx.matched ?? '')
  );
}
// "(12,26,9)", " 12/26/9", " 12 26 9"
const PARAMS = String.raw`(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?)?`;

function outputOf(word: string | undefined): Output {
  if (word === undefined || word === 'line') return 'line';
  return word.startsWith('hist') ? 'histogram' : 'signal';
}

function macd(groups: (string | undefined)[], output: Output, ctx: TermContext): Macd {
  const [fast, slow, signal] = groups;
  if (fast === undefined || slow === undefined || signal === undefined) {
    // "macd (5, 35, 5) cross up, exit when macd crosses below signal": the settings named before.
    const before = otherSettings(ctx) ? undefined : ctx.last.get('macd');
    if (before?.kind === 'macd')
      return { kind: 'macd', fast: before.fast, slow: before.slow, signal: before.signal, output };
    ctx.scan?.assumed.push('No MACD settings given: 12/26/9.');
    return { kind: 'macd', ...DEFAULTS, output };
  }
  return { kind: 'macd', fast: Number(fast), slow: Number(slow), signal: Number(signal), output };
}

// "its signal" after "macd 8/21/5": the same parameters.
function sameMacd(ctx: TermContext, output: Output): Macd {
  // The MACD named nearest before ("the 4h macd crosses its signal ... the daily macd above zero"), else
  // the last one read.
  const last = nearestBefore(ctx, 'macd') ?? ctx.last.get('macd');
  const base = last?.kind === 'macd' ? last : macd([], output, ctx);
  return { ...base, output };
}

export const MACD_RULES: readonly TermRule[] = [
  // "macd signal cross", "macd signal line crossover": the line crossing its signal.
  {
    pattern: new RegExp(String.raw`\bmacd${PARAMS}\s+signal(?:\s+line)?(?=\s+cross)`, 'g'),
    build: (g, ctx) => macd(g, 'line', ctx),
  },
  // "macd signal", "macd 8/21/5 histogram", "macd(12,26,9) signal line", "macd line"
  {
    pattern: new RegExp(String.raw`\bmacd${PARAMS}(?:\s+(line|signal|hist(?:ogram)?)(?:\s+line)?)?\b`, 'g'),
    build: (g, ctx) => macd(g, outputOf(g[3]), ctx),
  },
  // "its signal", "the signal line", "signal" once MACD has been named
  {
    pattern: /\b(?:its\s+|the\s+)?signal(?:\s+line)?\b/g,
    family: 'macd',
    build: (_g, ctx) => sameMacd(ctx, 'signal'),
  },
  {
    pattern: /\b(?:its\s+|the\s+)?hist(?:ogram)?\b/g,
    family: 'macd',
    build: (_g, ctx) => sameMacd(ctx, 'histogram'),
  },
];
