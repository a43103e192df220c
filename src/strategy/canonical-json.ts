// One JSON spelling per value (object keys sorted, no whitespace), so the spec embedded in generated
// Python is byte-for-byte stable and two equal specs always render to the same file.

/** JSON.stringify with object keys sorted at every depth; undefined properties are dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys(Reflect.get(value, key));
  }
  return sorted;
}
