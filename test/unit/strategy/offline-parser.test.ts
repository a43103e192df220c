// The offline parser against fixed phrasings: each must give exactly the recorded spec and name, and each
// refusal exactly its recorded sentence. Growing the fixtures is how the parser's coverage grows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStrategyText } from '../../../src/strategy/offline-parser.ts';
import { normalizeStrategyName, validateSpec } from '../../../src/strategy/spec.ts';

const PhrasingsSchema = z.array(
  z.strictObject({ text: z.string(), name: z.string().min(1), spec: z.unknown() }),
);
const FailuresSchema = z.array(z.strictObject({ text: z.string(), reason: z.string().min(1) }));

function fixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8'));
}

const phrasings = PhrasingsSchema.parse(fixture('phrasings.json'));
const failures = FailuresSchema.parse(fixture('phrasings-failures.json'));

describe('parseStrategyText on recorded phrasings', () => {
  it('has a fixture set large enough to mean something', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(30);
    expect(new Set(phrasings.map((p) => p.text)).size).toBe(phrasings.length);
  });

  it.each(phrasings.map((p) => [p.text, p] as const))('%s', (text, expected) => {
    expect(validateSpec(expected.spec)).toEqual({ ok: true, spec: expected.spec });
    expect(parseStrategyText(text)).toEqual({ ok: true, spec: expected.spec, name: expected.name });
  });

  it('suggests names that are already normalised', () => {
    for (const { name } of phrasings) expect(normalizeStrategyName(name)).toBe(name);
  });

  it('is deterministic', () => {
    for (const { text } of phrasings) {
      expect(JSON.stringify(parseStrategyText(text))).toBe(JSON.stringify(parseStrategyText(text)));
    }
  });
});

describe('parseStrategyText refusals', () => {
  it.each(failures.map((f) => [f.text.slice(0, 60), f] as const))('%j', (_label, expected) => {
    expect(parseStrategyText(expected.text)).toEqual({ ok: false, reason: expected.reason });
  });

  it('answers empty text with an example', () => {
    expect(parseStrategyText('')).toEqual({
      ok: false,
      reason: 'Describe the strategy, for example: BTC SMA 20/50 cross on 1h with a 5% stop.',
    });
  });

  it('says what it did find when the indicator is missing', () => {
    const result = parseStrategyText('ETH/USDT 4h, 3% stop');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^I found ETH\/USDT, 4h and a 3% stop, but no indicator\./);
  });
});

describe('parseStrategyText defaults', () => {
  it('uses BTC/USDT, 1h, a 10% stop and no take-profit when the text names none', () => {
    const result = parseStrategyText('sma 20/50 cross');
    expect(result.ok && result.spec).toMatchObject({
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      stoploss: -0.1,
      minimalRoi: { '0': 10 },
    });
  });

  it('reads only capitalised tickers that are also English words', () => {
    const lower = parseStrategyText('sma 20/50 near the top, one trade at a time');
    const upper = parseStrategyText('sma 20/50 on NEAR and OP');
    expect(lower.ok && lower.spec.pairs).toEqual(['BTC/USDT']);
    expect(upper.ok && upper.spec.pairs).toEqual(['NEAR/USDT', 'OP/USDT']);
  });
});
