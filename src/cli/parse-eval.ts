// `gentrade parse-eval FILE.jsonl`: how the offline parser reads requests written by people who have not
// seen it. Each line holds a request and the facts its writer meant (see the corpus's FORMAT.md: pairs,
// timeframe, direction, indicators, windows, levels, stop, take-profit, open-trade limit, higher
// timeframe). Each request lands in one of three counts:
// - intended: a strategy whose every stated fact holds;
// - asked: no strategy, a sentence back (the parser's question, or the market list refusing a pair);
// - misread: a strategy that contradicts a stated fact, or a strategy where a question was expected.
// A misread is the one that matters most: a wrong strategy, saved and backtested, is worse than a question.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseStrategyText } from '../strategy/parse/offline-parser.ts';
import type { Series, StrategySpec } from '../strategy/spec.ts';
import { allConditions, conditionsIn, seriesIn } from '../strategy/spec-walk.ts';
import type { Output } from './spec-commands.ts';
import { EXIT, type ExitCode } from './usage.ts';

const RequestSchema = z
  .object({
    id: z.string(),
    text: z.string(),
    expect: z.enum(['strategy', 'question']),
    pairs: z.array(z.string()).optional(),
    timeframe: z.string().nullish(),
    tradingMode: z.enum(['spot', 'futures']).optional(),
    direction: z.enum(['long', 'short', 'both']).optional(),
    indicators: z.array(z.string()).optional(),
    params: z.record(z.string(), z.array(z.number())).optional(),
    levels: z.record(z.string(), z.array(z.number())).optional(),
    stoploss: z.union([z.number(), z.literal('atr')]).nullish(),
    takeProfit: z.number().nullish(),
    maxOpenTrades: z.number().nullish(),
    informative: z.string().nullish(),
  })
  .loose();
export type EvalRequest = z.infer<typeof RequestSchema>;

export type Verdict =
  | { outcome: 'intended' }
  | { outcome: 'asked'; reason: string; expected: 'strategy' | 'question' }
  | { outcome: 'misread'; why: string[] };

// What a writer may call an indicator, as the spec's series kinds.
const KINDS: Record<string, string[]> = {
  volume: ['volume_sma', 'obv', 'price:volume'],
  price: ['price'],
  bollinger: ['bollinger'],
  bb: ['bollinger'],
  stochastic: ['stochastic'],
  stoch: ['stochastic'],
  ma: ['sma', 'ema', 'wma'],
};

function kindsOf(spec: StrategySpec): Set<string> {
  // An ATR stop reads the ATR too.
  const kinds = new Set<string>(spec.atrStop ? ['atr'] : []);
  for (const series of allSeries(spec)) {
    kinds.add(series.kind);
    if (series.kind === 'price') kinds.add(`price:${series.field}`);
  }
  return kinds;
}

function allSeries(spec: StrategySpec): Series[] {
  return allConditions(spec).flatMap(seriesIn);
}

/** Every window number a series of `kind` carries (periods, MACD's three, stochastic's k/d/smooth). */
function windowsOf(spec: StrategySpec, kind: string): number[] {
  // An ATR stop carries the ATR's window.
  const stop = kind === 'atr' && spec.atrStop ? [spec.atrStop.period] : [];
  return stop.concat(
    allSeries(spec).flatMap((s): number[] => {
      // "obv breaks its 30 day high": the window of a channel or average of OBV is OBV's.
      if (kind === 'obv' && 'source' in s && s.source === 'obv' && 'period' in s) return [s.period];
      if (!(KINDS[kind] ?? [kind]).includes(s.kind)) return [];
      if (s.kind === 'macd') return [s.fast, s.slow, s.signal];
      if (s.kind === 'stochastic') return [s.k, s.d, s.smooth];
      if (s.kind === 'bollinger') return [s.period, s.stddev];
      return 'period' in s ? [s.period] : [];
    }),
  );
}

/** The numbers conditions on `kind` compare against ("RSI below 30" gives 30). */
function levelsOf(spec: StrategySpec, kind: string): number[] {
  return allConditions(spec).flatMap((c): number[] => {
    if (!(KINDS[kind] ?? [kind]).includes(c.left.kind)) return [];
    if (c.op === 'between') return [c.low, c.high];
    return 'right' in c && typeof c.right === 'number' ? [c.right] : [];
  });
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The stated facts the spec contradicts, each as a short line; empty when it reads as intended. */
function contradictions(req: EvalRequest, spec: StrategySpec): string[] {
  const why: string[] = [];
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (req.pairs && !same(req.pairs, spec.pairs)) why.push(`pairs ${spec.pairs} not ${req.pairs}`);
  if (req.timeframe && req.timeframe !== spec.timeframe)
    why.push(`timeframe ${spec.timeframe} not ${req.timeframe}`);
  if (req.tradingMode === 'futures' && spec.tradingMode !== 'futures') why.push('spot, not futures');
  const longEntry = conditionsIn(spec.entry).length > 0;
  const direction = spec.short === undefined ? 'long' : longEntry ? 'both' : 'short';
  const wanted = req.direction ?? 'long';
  if (direction !== wanted) why.push(`direction ${direction} not ${wanted}`);
  const kinds = kindsOf(spec);
  for (const indicator of req.indicators ?? []) {
    const accepted = KINDS[indicator] ?? [indicator];
    if (!accepted.some((k) => kinds.has(k))) why.push(`no ${indicator}`);
  }
  for (const [kind, numbers] of Object.entries(req.params ?? {})) {
    const have = [...new Set(windowsOf(spec, kind))];
    for (const n of numbers)
      if (!have.some((h) => close(h, n))) why.push(`${kind} window ${n} missing (has ${have})`);
  }
  for (const [kind, numbers] of Object.entries(req.levels ?? {})) {
    const have = [...new Set(levelsOf(spec, kind))];
    for (const n of numbers)
      if (!have.some((h) => close(h, n))) why.push(`${kind} level ${n} missing (has ${have})`);
  }
  if (req.stoploss === 'atr' && spec.atrStop === undefined)
    why.push(`ATR stop read as a fixed ${spec.stoploss}`);
  else if (typeof req.stoploss === 'number' && !close(req.stoploss, spec.stoploss)) {
    why.push(`stoploss ${spec.stoploss} not ${req.stoploss}`);
  }
  if (typeof req.takeProfit === 'number' && !close(spec.minimalRoi['0'] ?? Number.NaN, req.takeProfit)) {
    why.push(`take-profit ${JSON.stringify(spec.minimalRoi)} not ${req.takeProfit}`);
  }
  if (typeof req.maxOpenTrades === 'number' && spec.maxOpenTrades !== req.maxOpenTrades) {
    why.push(`max open trades ${spec.maxOpenTrades} not ${req.maxOpenTrades}`);
  }
  if (req.informative && spec.informative?.timeframe !== req.informative) {
    why.push(`higher timeframe ${spec.informative?.timeframe} not ${req.informative}`);
  }
  return why;
}

/** One request's outcome; `markets` is the exchange's pair list the app would check the pairs against. */
export function judge(req: EvalRequest, markets: ReadonlySet<string>): Verdict {
  const parsed = parseStrategyText(req.text);
  if (!parsed.ok) return { outcome: 'asked', reason: parsed.reason, expected: req.expect };
  const unknown = parsed.spec.pairs.filter((p) => !markets.has(p));
  if (unknown.length > 0) {
    return {
      outcome: 'asked',
      reason: `not in the market list: ${unknown.join(', ')}`,
      expected: req.expect,
    };
  }
  if (req.expect === 'question')
    return { outcome: 'misread', why: ['a strategy where a question was expected'] };
  const why = contradictions(req, parsed.spec);
  return why.length === 0 ? { outcome: 'intended' } : { outcome: 'misread', why };
}

/** Reads the JSON Lines file; a line that does not read is a usage error naming the line. */
async function readRequests(file: string): Promise<EvalRequest[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const parsed = RequestSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });
}

const pct = (n: number, of: number) => `${of === 0 ? 0 : ((100 * n) / of).toFixed(1)}%`;

export async function parseEvalCommand(
  file: string,
  opts: { markets: ReadonlySet<string>; verbose: boolean; json: boolean },
  io: Output,
): Promise<ExitCode> {
  let requests: EvalRequest[];
  try {
    requests = await readRequests(file);
  } catch (err) {
    io.err(`gentrade: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  }
  const results = requests.map((req) => ({ req, verdict: judge(req, opts.markets) }));
  const count = (o: Verdict['outcome']) => results.filter((r) => r.verdict.outcome === o).length;
  const asked = results.flatMap((r) => (r.verdict.outcome === 'asked' ? [r.verdict] : []));
  const summary = {
    requests: requests.length,
    intended: count('intended'),
    asked: count('asked'),
    askedWhereQuestionExpected: asked.filter((a) => a.expected === 'question').length,
    misread: count('misread'),
  };
  if (opts.json) {
    io.out(`${JSON.stringify({ file, summary, results }, null, 2)}\n`);
  } else {
    if (opts.verbose) {
      for (const { req, verdict } of results) {
        if (verdict.outcome === 'intended') continue;
        const detail = verdict.outcome === 'asked' ? verdict.reason : verdict.why.join('; ');
        io.out(`${verdict.outcome.toUpperCase()} ${req.id} ${JSON.stringify(req.text)}\n  ${detail}\n`);
      }
    }
    const n = summary.requests;
    io.out(
      `${file}: ${n} requests\n` +
        `  parsed as intended  ${summary.intended} (${pct(summary.intended, n)})\n` +
        `  asked a question    ${summary.asked} (${pct(summary.asked, n)}; ${summary.askedWhereQuestionExpected} where one was expected)\n` +
        `  misread             ${summary.misread} (${pct(summary.misread, n)})\n`,
    );
  }
  return summary.misread === 0 ? EXIT.ok : EXIT.refused;
}
