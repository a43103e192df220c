// The offline parser against fixed phrasings: each must give exactly the recorded spec and name, and each
// refusal exactly its recorded sentence. Growing the fixtures is how the parser's coverage grows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { normalizeStrategyName, type StrategySpec, validateSpec } from '../../../../src/strategy/spec.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';

const PhrasingsSchema = z.array(
  z.strictObject({ text: z.string(), name: z.string().min(1), spec: z.unknown() }),
);
const FailuresSchema = z.array(z.strictObject({ text: z.string(), reason: z.string().min(1) }));

function fixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/${file}`, import.meta.url), 'utf8'));
}

const phrasings = PhrasingsSchema.parse(fixture('phrasings.json'));
const failures = FailuresSchema.parse(fixture('phrasings-failures.json'));

describe('parseStrategyText on recorded phrasings', () => {
  it('has a fixture set large enough to mean something', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(30);
    expect(new Set(phrasings.map((p) => p.text)).size).toBe(phrasings.length);
  });

  // The first recorded specs are stored version 1 (each must still load, upgraded), the newer ones
  // version 2; the parser writes version 2 either way.
  it.each(phrasings.map((p) => [p.text, p] as const))('%s', (text, expected) => {
    expect(expected.spec).toMatchObject({ specVersion: expect.toBeOneOf([1, 2]) });
    const upgraded = validateSpec(expected.spec);
    if (!upgraded.ok) throw new Error(upgraded.errors.join('\n'));
    const spec: StrategySpec = upgraded.spec;
    expect(spec.specVersion).toBe(2);
    const parsed = parseStrategyText(text);
    expect(parsed.ok && { spec: parsed.spec, name: parsed.name }).toEqual({ spec, name: expected.name });
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

  it('refuses a sentence that takes something out of a strategy instead of describing one', () => {
    for (const text of [
      'drop the rsi',
      'delete the rsi condition',
      'Remove the take profit',
      'get rid of the ema',
      'no rsi',
      'no more rsi',
      'without the take profit',
      'no trailing stop',
    ]) {
      const result = parseStrategyText(text);
      expect(result.ok ? result.name : result.reason).toMatch(
        /^That asks to take something out of a strategy/,
      );
    }
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
    expect(lower.ok && lower.spec.maxOpenTrades).toBe(1);
    expect(upper.ok && upper.spec.pairs).toEqual(['NEAR/USDT', 'OP/USDT']);
  });
});

function reasonOf(text: string): string {
  const result = parseStrategyText(text);
  return result.ok ? `parsed as ${JSON.stringify(result.spec)}` : result.reason;
}

describe('parseStrategyText never changes what the trader asked for', () => {
  it.each([
    'death cross short on ETH 1d',
    'short btc when rsi above 70',
    'go short on eth with ema 9/21 cross',
    'sell short when sma 20 crosses below sma 50',
    'shorting sol rsi 30/70',
    'short-sell btc sma 20/50 cross',
    'Shorts only: golden cross on btc',
  ])('never reads a short as a long: %s', (text) => {
    // Shorting needs futures: a short is read as one on futures and that is said back, or it is asked
    // about; it never becomes a long strategy.
    const result = parseStrategyText(text);
    if (!result.ok) return;
    expect(result.spec.tradingMode).toBe('futures');
    expect(result.spec.short).toBeDefined();
    expect(conditionsIn(result.spec.entry)).toEqual([]);
    expect(result.assumptions).toContain(
      'Shorting needs futures: the strategy trades the USDT perpetual, without leverage.',
    );
  });

  it('asks when "short" may name the faster average', () => {
    expect(reasonOf('short ema crosses above long ema on btc')).toMatch(/call it fast instead/);
  });

  it('leaves leverage out and says so', () => {
    const result = parseStrategyText('sma 20/50 cross, leverage 3x');
    expect(result.ok && result.assumptions[0]).toBe(
      'Leverage ("leverage 3x") is left out: the strategy trades the USDT perpetual without it.',
    );
  });

  it('reads a short on futures as a short, and futures without a short as a long on futures', () => {
    const both = parseStrategyText(
      'buy when rsi below 30, sell above 70, short when rsi above 70 on futures, cover below 30',
    );
    expect(both.ok && both.spec.tradingMode).toBe('futures');
    expect(both.ok && both.spec.short && conditionsIn(both.spec.short.entry).map((c) => c.op)).toEqual([
      'above',
    ]);
    const long = parseStrategyText('sma 20/50 cross on btc futures');
    expect(long.ok && [long.spec.tradingMode, long.spec.short]).toEqual(['futures', undefined]);
  });

  it('does not take "short-term" or "shorter" for a short', () => {
    expect(parseStrategyText('short-term sma 5/10 cross on eth 5m').ok).toBe(true);
    expect(parseStrategyText('the shorter ema 9 crosses the longer ema 21').ok).toBe(true);
  });

  it('accepts a death cross as the exit of a long strategy', () => {
    for (const text of [
      'buy the golden cross, sell the death cross',
      'golden cross btc 4h, sell on death cross',
      'buy on golden cross sell on death cross',
    ]) {
      const result = parseStrategyText(text);
      expect(result.ok && conditionsIn(result.spec.entry).map((c) => c.op)).toEqual(['crosses_above']);
      expect(result.ok && conditionsIn(result.spec.exit).map((c) => c.op)).toEqual(['crosses_below']);
    }
  });

  it.each([
    'death cross on btc 1d',
    'death cross strategy on eth',
    'death crossover eth 4h',
    'sell on the death cross btc 1d',
    'the 9 EMA crosses below the 21 EMA on sol',
    'sma 20 below sma 50',
  ])('never turns a downward cue into a buy on the way up: %s', (text) => {
    expect(reasonOf(text)).toMatch(/Say when to buy, for example: /);
  });

  it('buys on a death cross only when told to', () => {
    const result = parseStrategyText('buy on the death cross, sell on the golden cross');
    expect(result.ok && conditionsIn(result.spec.entry).map((c) => c.op)).toEqual(['crosses_below']);
  });

  it.each([
    ['sma 20/50 take profit 15% trailing stop', '"trailing stop"'],
    ['ema 9/21 cross take profit 15% trailing stop', '"trailing stop"'],
    ['sma 20/50 cross, 5% stop, trailing', '"trailing"'],
    ['rsi 30/70, trailing stoploss', '"trailing stoploss"'],
  ])('refuses a trailing stop it cannot read: %s', (text, part) => {
    expect(reasonOf(text)).toBe(
      `I couldn't read ${part}: give the trailing distance as a percentage, for example: a 3% trailing stop.`,
    );
  });

  it.each([
    'sma 20/50 cross 3% trailing stop',
    'sma 20/50 cross trailing stop 3%',
    'sma 20/50 cross trailing stop-loss of 3%',
    'sma 20/50 cross trailing 3%',
  ])('keeps a trailing stop it can read: %s', (text) => {
    const result = parseStrategyText(text);
    expect(result.ok && result.spec).toMatchObject({ stoploss: -0.03, trailingStop: {} });
  });

  it.each([
    'sma 20/50 cross, sell after 2 days',
    'sma 20/50 cross on TAO 4h',
    'sma 20/50 cross, 2nd candle',
    'rsi 30/70, max positions',
    'buy when rsi below 30 or above 80, sell above 70',
  ])('refuses what no reader took: %s', (text) => {
    expect(parseStrategyText(text).ok).toBe(false);
  });

  it('keeps every trailing stop and take-profit in the recorded phrasings', () => {
    for (const { text, spec } of phrasings) {
      const parsed = validateSpec(spec);
      if (!parsed.ok) throw new Error(`invalid fixture spec for ${text}`);
      if (/trail/i.test(text)) expect(parsed.spec.trailingStop, text).toBeDefined();
      if (/take\s*profit|\btp\b/i.test(text)) {
        expect(Math.min(...Object.values(parsed.spec.minimalRoi)), text).toBeLessThan(10);
      }
      if (/\bshort(?!-term)/i.test(text))
        expect(parsed.spec.short, `a short became a long: ${text}`).toBeDefined();
    }
  });
});

describe('parseStrategyText percentages', () => {
  it.each([
    'stop loss 3 percent',
    'stop loss 3 pct',
    'stop loss 3 per cent',
    'stop loss 3 per-cent',
    '3percent stop',
    '3 PCT SL',
  ])('reads "%s" as a 3% stop', (risk) => {
    const result = parseStrategyText(`sma 20/50 cross, ${risk}`);
    expect(result.ok && result.spec.stoploss).toBe(-0.03);
  });

  it.each(['take profit 10 pct', 'tp 10 percent', '10 per cent take profit', 'take profit of 10percent'])(
    'reads "%s" as a 10% take-profit',
    (risk) => {
      const result = parseStrategyText(`rsi 30/70, ${risk}`);
      expect(result.ok && result.spec.minimalRoi).toEqual({ '0': 0.1 });
    },
  );

  it('refuses a stray percentage written in words', () => {
    expect(reasonOf('sma 20/50 with 10 percent on btc')).toBe(
      'I\'m not sure what 10% means here; say "a 10% stop" or "take profit 10%".',
    );
  });
});
