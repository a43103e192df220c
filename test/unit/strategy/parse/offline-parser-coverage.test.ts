// The offline parser against the whole spec language: the recorded phrasings must use every series kind,
// every condition op, both group kinds, nesting and every risk field at least once, and the share parsed
// to exactly the intended spec is reported (the bar is 95%; every fixture is expected to pass).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { SERIES_KINDS, type StrategySpec, validateSpec } from '../../../../src/strategy/spec.ts';
import { allConditions, itemsOf, seriesWithPaths } from '../../../../src/strategy/spec-walk.ts';

const PhrasingsSchema = z.array(
  z.strictObject({ text: z.string(), name: z.string().min(1), spec: z.unknown() }),
);
const FailuresSchema = z.array(z.strictObject({ text: z.string(), reason: z.string().min(1) }));

function fixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/${file}`, import.meta.url), 'utf8'));
}

const phrasings = PhrasingsSchema.parse(fixture('phrasings.json'));
const failures = FailuresSchema.parse(fixture('phrasings-failures.json'));

function intended(spec: unknown): StrategySpec {
  const checked = validateSpec(spec);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  return checked.spec;
}

const specs = phrasings.map((p) => intended(p.spec));

describe('offline parser coverage of the spec language', () => {
  it('parses at least 100 distinct phrasings, 95% or more to the intended spec', () => {
    expect(new Set(phrasings.map((p) => p.text)).size).toBeGreaterThanOrEqual(100);
    const matched = phrasings.filter((p, i) => {
      const parsed = parseStrategyText(p.text);
      return parsed.ok && JSON.stringify(parsed.spec) === JSON.stringify(specs[i]) && parsed.name === p.name;
    });
    const rate = matched.length / phrasings.length;
    console.log(
      `offline parser: ${matched.length}/${phrasings.length} phrasings parsed to the intended spec (${(rate * 100).toFixed(1)}%), ${failures.length} refusals recorded`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it('has recorded phrasings for every series kind and price field', () => {
    const series = specs.flatMap((s) => seriesWithPaths(s).map((p) => p.series));
    const kinds = new Set(series.map((s) => s.kind));
    for (const kind of SERIES_KINDS) {
      expect(kinds, kind).toContain(kind);
    }
    const outputs = new Set(series.map((s) => ('output' in s ? `${s.kind}.${s.output}` : s.kind)));
    for (const output of ['macd.line', 'macd.signal', 'macd.histogram', 'stochastic.k', 'stochastic.d']) {
      expect(outputs, output).toContain(output);
    }
    for (const output of [
      'adx.adx',
      'adx.plus_di',
      'adx.minus_di',
      'bollinger.percent_b',
      'bollinger.width',
    ]) {
      expect(outputs, output).toContain(output);
    }
    const fields = new Set(series.flatMap((s) => (s.kind === 'price' ? [s.field] : [])));
    expect([...fields].sort()).toEqual(['close', 'high', 'low', 'open', 'volume']);
    expect(series.some((s) => s.timeframe !== undefined)).toBe(true);
  });

  it('has recorded phrasings for every condition op and group shape', () => {
    const ops = new Set(specs.flatMap((s) => allConditions(s).map((c) => c.op)));
    expect([...ops].sort()).toEqual(
      ['above', 'below', 'between', 'crosses_above', 'crosses_below', 'falling', 'rising'].sort(),
    );
    expect(specs.some((s) => 'any' in s.entry)).toBe(true);
    expect(specs.some((s) => itemsOf(s.entry).some((item) => !('op' in item)))).toBe(true);
  });

  it('has recorded phrasings for every risk and market field', () => {
    const has = (pick: (s: StrategySpec) => unknown) => specs.some((s) => pick(s) !== undefined);
    expect(has((s) => s.trailingStop?.offset)).toBe(true);
    expect(has((s) => s.short)).toBe(true);
    expect(has((s) => s.informative)).toBe(true);
    expect(has((s) => s.maxOpenTrades)).toBe(true);
    expect(has((s) => s.stakeAmount)).toBe(true);
    expect(has((s) => s.protections?.cooldownCandles)).toBe(true);
    expect(has((s) => s.protections?.stoplossGuard)).toBe(true);
    expect(specs.some((s) => Object.keys(s.minimalRoi).length > 1)).toBe(true);
    expect(specs.some((s) => s.tradingMode === 'futures')).toBe(true);
  });

  it('records refusals with a reason each', () => {
    expect(failures.length).toBeGreaterThanOrEqual(50);
    for (const { text } of failures) expect(parseStrategyText(text).ok, text).toBe(false);
  });
});
