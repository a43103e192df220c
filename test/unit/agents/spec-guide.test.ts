// The drafting prompt's picture of the spec language comes from the zod schema and the offline parser,
// so it can't drift from what the validator accepts.
import { describe, expect, it } from 'vitest';
import { specSchemaText, workedExamples } from '../../../agents/spec-guide.ts';
import { SERIES_KINDS, validateSpec } from '../../../src/strategy/spec.ts';

describe('spec guide', () => {
  it('outlines every spec field and every series kind', () => {
    const text = specSchemaText();
    for (const field of [
      'timeframe',
      'pairs',
      'entry',
      'exit',
      'short?',
      'stoploss',
      'atrStop?',
      'maxOpenTrades?',
    ]) {
      expect(text).toContain(`${field}: `);
    }
    for (const kind of SERIES_KINDS) expect(text).toContain(`{kind: "${kind}"`);
    expect(text).toContain(
      'Condition = {op: "crosses_above"|"crosses_below", left: Series, right: number | Series}',
    );
  });

  it('gives worked examples the validator accepts, each with its said-back defaults', () => {
    const examples = workedExamples().split('\n\n');
    expect(examples.length).toBe(7);
    for (const example of examples) {
      const call = JSON.parse(example.split('\nstrategy_spec: ')[1] ?? '');
      expect(validateSpec({ specVersion: 2, ...call.spec }).ok).toBe(true);
      expect(call.assumptions.length).toBeGreaterThan(0);
    }
  });
});
