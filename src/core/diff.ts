// What changed between two versions of a strategy: the spec field by field, in words a trader reads
// ("stoploss: -0.05 → -0.03"), and the generated code as a unified diff (a file, since chat messages
// mangle long code). Pure functions; /diff fetches the versions and calls them.
import { createTwoFilesPatch } from 'diff';

/** Flattens to leaf paths like `entry.all[0].left.period`; empty objects and arrays are leaves. */
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value) && value.length > 0) {
    for (const [i, item] of value.entries()) flatten(item, `${path}[${i}]`, out);
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // An empty object at the top has no fields to list (one side of a field that was added).
    if (entries.length > 0 || !path) {
      for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, out);
      return;
    }
  }
  out.set(path || '(spec)', JSON.stringify(value ?? null));
}

/**
 * One line per changed field, in path order: `path: old → new`, `+ path: value` for an added field
 * and `- path: value` for a removed one. Empty when the specs are equal.
 */
export function specChanges(before: unknown, after: unknown): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  // Through JSON first, so stored documents and fresh objects compare alike (dates, undefined).
  flatten(JSON.parse(JSON.stringify(before ?? null)), '', a);
  flatten(JSON.parse(JSON.stringify(after ?? null)), '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const lines: string[] = [];
  for (const path of paths) {
    const was = a.get(path);
    const now = b.get(path);
    if (was === now) continue;
    if (was === undefined) lines.push(`+ ${path}: ${now}`);
    else if (now === undefined) lines.push(`- ${path}: ${was}`);
    else lines.push(`${path}: ${was} → ${now}`);
  }
  return lines;
}

/** A unified diff of two versions' code, labelled `<file> (vN)`; empty when the code is the same. */
export function codeDiff(
  filename: string,
  before: { version: number; code: string },
  after: { version: number; code: string },
): string {
  if (before.code === after.code) return '';
  return createTwoFilesPatch(
    `${filename} (v${before.version})`,
    `${filename} (v${after.version})`,
    before.code,
    after.code,
    undefined,
    undefined,
    { context: 3 },
  );
}
