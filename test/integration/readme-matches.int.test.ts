// The README says what the bot says: its command table is the command list every platform registers
// (same commands, same arguments, same order), and the first session it shows is what the bot answers,
// line for line, as `npm start` prints it with the README's lines piped in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROMPT } from '../../adapters/console/index.ts';
import { repoRoot } from '../../src/config.ts';
import { COMMANDS } from '../../src/core/commands.ts';
import { runConsolePiped } from '../support/console-process.ts';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The body of the section under `heading`, up to the next heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}" in the README`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('the README', () => {
  it('lists every command with its arguments, as the platforms register them', () => {
    const rows = [...section('### Commands').matchAll(/^\| `(\/[^`]+)`\s*\|/gm)].map((m) => m[1]);
    expect(rows).toEqual(COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''}`));
  });

  describe('first session', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-readme-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('is what the console prints for the lines typed, in order', async () => {
      const block = /```\n([\s\S]*?)```/.exec(section('### A first session'))?.[1] ?? '';
      const shown = block.replace(/\n$/, '').split('\n');
      const typed = shown.filter((l) => l.startsWith(PROMPT)).map((l) => l.slice(PROMPT.length));
      expect(typed.length).toBeGreaterThanOrEqual(2);
      const run = await runConsolePiped(`${typed.join('\n')}\n`, {
        GENTRADE_DATA_DIR: dataDir,
        FERRETDB_PORT: '0',
      });
      expect(run.code, run.stderr).toBe(0);
      expect(unshown(shown, run.stdout.split('\n'))).toEqual([]);
    }, 180_000);
  });
});

/** A line as it is compared: what varies from run to run (the run time, the chart's path) is cut. */
function comparable(line: string): string {
  return line.replace(/^(\|\s+Run time\s+)(?:<1|\d+) s$/, '$1N s').replace(/^(\|\s+chart: ).*$/, '$1PATH');
}

/**
 * The README's lines the console did not print, in order: each must come after the one before it, and
 * between two lines shown one after the other, only a `...` line lets printed lines be skipped.
 */
function unshown(readme: string[], printed: string[]): string[] {
  const out = printed.map(comparable);
  const missing: string[] = [];
  let at = 0;
  let skip = true;
  for (const line of readme) {
    if (line === '...') {
      skip = true;
      continue;
    }
    const want = comparable(line);
    const found = skip ? out.indexOf(want, at) : out[at] === want ? at : -1;
    if (found < 0) {
      missing.push(line);
      continue;
    }
    at = found + 1;
    skip = false;
  }
  return missing;
}
