import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../../src/core/button-codec.ts';

describe('agent confirmation buttons', () => {
  it('round-trip a question key within 64 bytes', () => {
    for (const verb of ['agok', 'agno'] as const) {
      const payload = encodeAction({ verb, key: 'AbC-_123xyZ0' });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(64);
      expect(decodeAction(payload)).toEqual({ verb, key: 'AbC-_123xyZ0' });
    }
  });

  it('refuse a key that is not one of ours', () => {
    expect(() => decodeAction('agok|')).toThrow('expired');
    expect(() => decodeAction('agok|a b;c')).toThrow('expired');
  });
});
