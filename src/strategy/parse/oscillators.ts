// Offline parser, term rules for oscillators and other single-line indicators: RSI, Stochastic %K/%D,
// CCI, MFI, ADX with +DI/-DI, ATR and OBV. Each takes "name 14", "name(14)" or "14-period name", and
// falls back to its conventional default (RSI 14, Stochastic 14/3/3, CCI 20, MFI 14, ADX 14, ATR 14).
// StochRSI is not in the spec language; guards.ts refuses it before it could be read as Stochastic.

import type { Condition, Series } from '../spec.ts';
import { otherSettings } from './macd.ts';
import { type TermContext, type TermRule, UNIT } from './terms.ts';
import { fail } from './text.ts';

const DEFAULT_PERIOD = { rsi: 14, cci: 20, mfi: 14, atr: 14, adx: 14 } as const;
type Single = keyof typeof DEFAULT_PERIOD;
/** The lowest level traders give each (RSI 30, MFI 20, ADX 20, CCI -100 and 100): a period under it is no level. */
const LOWEST_LEVEL: Record<Single, number> = {
  rsi: 30,
  mfi: 20,
  adx: 20,
  cci: 100,
  atr: Number.POSITIVE_INFINITY,
};

const NAMES: Record<Single, string> = {
  rsi: String.raw`rsi|relative\s+strength(?:\s+index)?`,
  cci: String.raw`cci|commodity\s+channel\s+index`,
  mfi: String.raw`mfi|money\s+flow(?:\s+index)?`,
  atr: String.raw`atr|average\s+true\s+range`,
  adx: 'adx',
};

/** The indicator with its period, or the usual one said back. */
function single(kind: Single, period: string | undefined, ctx: TermContext): Series {
  // "cci, period 14, buy cci < -100", "buy when cci 14 below -100, sell when cci above 100": named again
  // without its period, the one named before (traders don't repeat it), said back.
  const last = ctx.last.get(kind);
  const before = last !== undefined && 'period' in last ? last.period : undefined;
  // Only a period no level could be ("rsi 30 buy rsi 70 sell" names levels, not an RSI 30): otherwise
  // asked, never guessed either way.
  const again = period === undefined && before !== undefined && before !== DEFAULT_PERIOD[kind];
  if (again && before >= LOWEST_LEVEL[kind])
    fail(
      `Which ${kind.toUpperCase()} is "${ctx.matched?.trim() ?? kind}"? You named ${kind.toUpperCase()} ${before} before; give the period each time, for example: ${kind} ${before} above 0.`,
    );
  const value = period === undefined ? (again ? before : DEFAULT_PERIOD[kind]) : Number(period);
  if (again) {
    const line = `${kind.toUpperCase()} named again without its period: the ${kind.toUpperCase()} ${value} named before.`;
    if (!ctx.scan?.assumed.includes(line)) ctx.scan?.assumed.push(line);
  } else if (period === undefined)
    ctx.scan?.assumed.push(`No ${kind.toUpperCase()} period given: ${value} candles.`);
  return kind === 'adx' ? { kind, period: value, output: 'adx' } : { kind, period: value };
}

// "rsi 14 below 30" reads 14 as the period; "rsi 30/70" is shorthand the generic reader refuses first.
function periodRules(kind: Single): TermRule[] {
  const name = `(?:${NAMES[kind]})`;
  return [
    {
      pattern: new RegExp(String.raw`(?<![@\w])(\d+)${UNIT}\s+${name}\b`, 'g'),
      build: (g, ctx) => single(kind, g[0], ctx),
    },
    {
      // "sell at rsi 70": a level reached, not RSI 70.
      pattern: new RegExp(
        String.raw`\b${name}\s*(?:\(\s*(\d+)\s*\)|(?<!\bat\s+${name}\s*)(?:period\s+)?(\d+)(?![\d.])(?:\s*-?\s*(?:period|length)s?\b)?)?`,
        'g',
      ),
      build: (g, ctx) => single(kind, g[0] ?? g[1], ctx),
    },
  ];
}

type Di = 'plus_di' | 'minus_di';

// "+di" after "adx 20": the same period.
function di(output: Di, ctx: TermContext, period: string | undefined): Series {
  const last = ctx.last.get('adx');
  const base = period ?? (last?.kind === 'adx' ? String(last.period) : undefined);
  if (base === undefined) ctx.scan?.assumed.push(`No DI period given: ${DEFAULT_PERIOD.adx} candles.`);
  return { kind: 'adx', period: base === undefined ? DEFAULT_PERIOD.adx : Number(base), output };
}

// The two DI lines against each other, in the trade's direction, said back.
function diPair(cross: boolean, ctx: TermContext): Condition {
  const short = /@3[^@]*$/.test(ctx.before ?? '');
  const [lead, lag] = short ? (['minus_di', 'plus_di'] as const) : (['plus_di', 'minus_di'] as const);
  const [leadName, lagName] = short ? ['-DI', '+DI'] : ['+DI', '-DI'];
  ctx.scan?.assumed.push(
    `"${ctx.matched?.trim() ?? 'di'}" read as: ${leadName} ${cross ? 'crosses above' : 'above'} ${lagName}.`,
  );
  return {
    op: cross ? 'crosses_above' : 'above',
    left: di(lead, ctx, undefined),
    right: di(lag, ctx, undefined),
  };
}

type Stoch = Extract<Series, { kind: 'stochastic' }>;
const STOCH = '(?:stoch(?:astic)?)';
// "14/3/3" is %K period, %K smoothing, %D: the order charting tools show.
const STOCH_PARAMS = String.raw`(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?)?`;

function stochastic(groups: (string | undefined)[], output: 'k' | 'd', ctx: TermContext): Stoch {
  const [k, smooth, d] = groups;
  if (k === undefined || smooth === undefined || d === undefined) {
    // "stochastic 9 3 3 cross up ..., exit when stochastic above 80": the settings named before.
    const before = otherSettings(ctx) ? undefined : ctx.last.get('stochastic');
    if (before?.kind === 'stochastic')
      return { kind: 'stochastic', k: before.k, d: before.d, smooth: before.smooth, output };
    ctx.scan?.assumed.push('No Stochastic settings given: 14/3/3.');
    return { kind: 'stochastic', k: 14, d: 3, smooth: 3, output };
  }
  return { kind: 'stochastic', k: Number(k), d: Number(d), smooth: Number(smooth), output };
}

function sameStoch(ctx: TermContext, output: 'k' | 'd'): Stoch {
  const last = ctx.last.get('stochastic');
  return last?.kind === 'stochastic' ? { ...last, output } : stochastic([], output, ctx);
}

export const OSCILLATOR_RULES: readonly TermRule[] = [
  // "stoch 14 below 20": the %K period alone ("sell at stoch 80" is a level reached, as for RSI).
  {
    pattern: new RegExp(
      String.raw`(?<!\bat\s+)\b(?:slow\s+)?${STOCH}\s*\(?\s*(\d+)\s*\)?(?!\s*[,/]?\s*\d)`,
      'g',
    ),
    build: (g) => ({ kind: 'stochastic', k: Number(g[0]), d: 3, smooth: 3, output: 'k' }),
  }, // "stoch k", "stochastic %d", "stoch(14,3,3) k", "slow stochastic"
  {
    pattern: new RegExp(
      String.raw`\b(?:slow\s+)?${STOCH}${STOCH_PARAMS}(?:\s*%?\s*(k|d)\b(?:\s+line)?)?`,
      'g',
    ),
    build: (g, ctx) => stochastic(g, g[3] === 'd' ? 'd' : 'k', ctx),
  },

  // "%k crosses above %d", "k crosses d" once Stochastic has been named
  {
    pattern: /(?:%\s*|\b)(k|d)(?:\s+line)?\b/g,
    family: 'stochastic',
    build: (g, ctx) => sameStoch(ctx, g[0] === 'd' ? 'd' : 'k'),
  },
  ...(['rsi', 'cci', 'mfi', 'atr', 'adx'] as const).flatMap(periodRules),
  // "follow the di", "di cross": +DI over -DI for a long (a cross when said so), -DI over +DI for a short
  {
    pattern:
      /(?<![+-]\s*)\b(?:follow(?:ing|s)?\s+(?:the\s+)?(dmi|di)s?|(?:dmi|di)\s+(cross(?:es|ing|overs?)?))\b(?!\s*[+-])/g,
    build: (g, ctx) => diPair(g[1] !== undefined, ctx),
  },
  // "+di", "di+", "plus di", "-di", "di-", "minus di", "+di 14"; after ADX so they share its period
  {
    pattern: /(?:\+\s*di\b|\bdi\s*\+|\bplus\s+di\b|\bpositive\s+di\b)\s*(?:\(?\s*(\d+)\s*\)?)?/g,
    build: (g, ctx) => di('plus_di', ctx, g[0]),
  },
  {
    pattern: /(?:-\s*di\b|\bdi\s*-(?!\d)|\bminus\s+di\b|\bnegative\s+di\b)\s*(?:\(?\s*(\d+)\s*\)?)?/g,
    build: (g, ctx) => di('minus_di', ctx, g[0]),
  },
  { pattern: /\bobv\b|\bon[\s-]balance\s+volume\b/g, build: () => ({ kind: 'obv' }) },
];
