// Canonical JSON is what makes the embedded spec line, and so the generated file, byte-stable.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/strategy/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('spells equal values the same way whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: 'q' } })).toBe(
      canonicalJson({ y: { q: 'q', p: true }, x: 1 }),
    );
  });

  it('drops undefined properties like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});
