// Python text for the generated strategy: number and string literals, and the one piece of free text
// (the strategy name), which is reduced to safe characters before it reaches a comment or a docstring so
// no name can close the docstring or start a new line of code.

/** A float literal: integers get `.0` so ratios always read as ratios (`10.0`, `-0.05`). */
export function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** A numeric literal exactly as the spec wrote it (`30`, `25.5`); JavaScript and Python agree on these. */
export function pyNumber(value: number): string {
  return String(value);
}

/** A double-quoted Python string for text we generate (labels); backslashes and quotes are escaped. */
export function pyString(text: string): string {
  return `"${text.replace(/[^ -~]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const SAFE_TEXT_MAX = 64;

/** Keeps letters, digits, space, dot, slash, underscore and dash; everything else becomes a dash. */
export function safeText(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9 ./_-]/g, '-')
    .slice(0, SAFE_TEXT_MAX)
    .trim();
  return cleaned === '' ? 'unnamed' : cleaned;
}

export const I = '    ';

/** Indents every non-empty line by `depth` levels. */
export function indent(lines: readonly string[], depth: number): string[] {
  const pad = I.repeat(depth);
  return lines.map((line) => (line === '' ? '' : `${pad}${line}`));
}
