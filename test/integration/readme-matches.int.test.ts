// The README says what the bot says: its command table is the command list every platform registers
// (same commands, same arguments, same order), and the first session it shows is what the bot answers,
// line for line, through the real app on FerretDB.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config.ts';
import { COMMANDS } from '../../src/core/commands.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

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
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ GENTRADE_ROLE: 'bot' });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('shows what the bot answers to each line typed', async () => {
      const block = /```\n([\s\S]*?)```/.exec(section('### A first session'))?.[1] ?? '';
      const lines = block.split('\n');
      const typed = lines.flatMap((line, i) => (line.startsWith('you> ') ? [i] : []));
      expect(typed.length).toBeGreaterThanOrEqual(2);
      for (const i of typed) {
        const said = (await t.send(lines[i]?.slice('you> '.length) ?? '')).map((m) => m.text);
        // The README's next line is one of the bot's messages (a first contact is welcomed first); the
        // console prints a progress state as "[queued] ".
        const shown = (lines[i + 1] ?? '').replace(/^\[[a-z]+\] /, '');
        expect(said).toContain(shown);
      }
    });
  });
});
