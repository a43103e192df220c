import { describe, expect, it } from 'vitest';
import { clip, splitText } from '../../../src/core/text.ts';

describe('clip', () => {
  it('keeps short text, cuts long text with an ellipsis, never splits a surrogate pair', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 0)).toBe('');
  });
});

describe('splitText', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n');

  it('cuts at line breaks, dropping them, so the pieces join back with newlines', () => {
    const pieces = splitText(lines, 500);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.every((p) => p.length <= 500)).toBe(true);
    expect(pieces.join('\n')).toBe(lines);
  });

  it('keeps separators when asked, so the pieces concatenate back exactly', () => {
    const pieces = splitText(lines, 500, { keepSeparators: true });
    expect(pieces.join('')).toBe(lines);
    for (const p of pieces.slice(0, -1)) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(p.endsWith('\n')).toBe(true);
    }
  });

  it('falls back to spaces, then to a hard cut outside surrogate pairs', () => {
    expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('z'.repeat(4500), 2000).map((p) => p.length)).toEqual([2000, 2000, 500]);
    const emoji = `${'x'.repeat(9)}😀${'x'.repeat(9)}`;
    const pieces = splitText(emoji, 10, { keepSeparators: true });
    expect(pieces.join('')).toBe(emoji);
    expect(pieces[0]).toBe('x'.repeat(9));
    expect(pieces.every((p) => p.length <= 10)).toBe(true);
  });

  it('returns one piece for short text and never an empty trailing piece', () => {
    expect(splitText('hi', 10)).toEqual(['hi']);
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText(`${'a'.repeat(8)}\n`, 8)).toEqual(['a'.repeat(8)]);
  });
});
