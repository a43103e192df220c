// Property test over the whole spec language: 500 seeded random specs each validate, render the same
// bytes twice, read back to the same spec, and parse as Python with only the allowed imports. The Python
// check runs all files through one interpreter, so the test stays fast.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpecFromCode, renderStrategy } from '../../../freqtrade/render.ts';
import { SERIES_KINDS, validateSpec } from '../../../src/strategy/spec.ts';
import { randomSpecs } from '../../support/spec-arbitrary.ts';

const COUNT = 500;
const specs = randomSpecs(20240401, COUNT);

function python(): string {
  try {
    const manifest: unknown = JSON.parse(
      readFileSync(new URL('../../../.gentrade/bootstrap.json', import.meta.url), 'utf8'),
    );
    if (
      typeof manifest === 'object' &&
      manifest !== null &&
      'python' in manifest &&
      typeof manifest.python === 'string'
    ) {
      return manifest.python;
    }
  } catch {
    // no bootstrap yet: the system Python parses just as well
  }
  return 'python3';
}

// Reads a JSON list of sources on stdin; prints one line per source: "ok" or the problem.
const CHECK = `
import ast, json, sys
ALLOWED = {"datetime", "functools", "talib.abstract", "freqtrade.strategy", "pandas"}
for i, src in enumerate(json.load(sys.stdin)):
    try:
        tree = ast.parse(src)
    except SyntaxError as err:
        print(f"{i}: syntax error line {err.lineno}: {err.msg}")
        continue
    mods = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    mods += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    bad = [m for m in mods if m not in ALLOWED]
    methods = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    need = {"populate_indicators", "populate_entry_trend", "populate_exit_trend", "gentrade_entry_conditions"}
    print(f"{i}: imports {bad}" if bad else f"{i}: missing {need - methods}" if need - methods else "ok")
`;

describe(`${COUNT} random specs across the language`, () => {
  it('cover every series kind, condition op and option', () => {
    const text = JSON.stringify(specs);
    for (const kind of SERIES_KINDS) {
      expect(text).toContain(`"kind":"${kind}"`);
    }
    for (const op of ['crosses_above', 'crosses_below', 'above', 'below', 'between', 'rising', 'falling']) {
      expect(text).toContain(`"op":"${op}"`);
    }
    expect(specs.some((s) => s.short !== undefined)).toBe(true);
    expect(specs.some((s) => s.informative !== undefined)).toBe(true);
    expect(specs.some((s) => s.protections?.stoplossGuard !== undefined)).toBe(true);
    expect(specs.some((s) => typeof s.stakeAmount === 'number')).toBe(true);
    expect(specs.some((s) => 'any' in s.entry)).toBe(true);
  });

  it('validate, render deterministically and read back to the same spec', () => {
    specs.forEach((spec, i) => {
      expect(validateSpec(spec)).toEqual({ ok: true, spec });
      const opts = { className: `Random${i}`, name: `random-${i}` };
      const code = renderStrategy(spec, opts);
      expect(renderStrategy(structuredClone(spec), opts)).toBe(code);
      expect(readSpecFromCode(code)).toEqual(spec);
    });
  });

  it('is the same list for the same seed', () => {
    expect(randomSpecs(20240401, 20)).toEqual(specs.slice(0, 20));
  });

  it('parse as Python with only the allowed imports', () => {
    const sources = specs.map((spec, i) =>
      renderStrategy(spec, { className: `Random${i}`, name: `random-${i}` }),
    );
    const res = spawnSync(python(), ['-c', CHECK], {
      input: JSON.stringify(sources),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(COUNT);
    expect(lines.filter((l) => l !== 'ok')).toEqual([]);
  });
});
