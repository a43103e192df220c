// The layer check, through the same CLI `npm run check` runs: the tree as committed keeps to the
// layers, and an import against the grain or a loop in the core fails with a sentence saying why.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../scripts/check-layers.mjs', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A small tree of files (path -> contents) in a folder of its own. */
function tree(files: Record<string, string>): string {
  const root = path.join(dir, `tree-${n++}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function check(root: string): Promise<{ code: number | null; said: string }> {
  const done = spawnSync(process.execPath, [cli, root], { encoding: 'utf8' });
  return { code: done.status, said: done.stderr };
}

const base = {
  'src/errors.ts': 'export class AppError extends Error {}\n',
  'src/backtest/summary.ts': "import { AppError } from '../errors.ts';\nexport type S = AppError;\n",
  'freqtrade/result.ts': "import type { S } from '../src/backtest/summary.ts';\nexport type R = S;\n",
  'src/services/backtests.ts': "import type { S } from '../backtest/summary.ts';\nexport type B = S;\n",
  'jobs/run.ts': "import type { R } from '../freqtrade/result.ts';\nexport type J = R;\n",
  'src/app.ts': "import type { J } from '../jobs/run.ts';\nexport type A = J;\n",
};

describe('layer check', () => {
  it('passes the tree as committed', async () => {
    const { code, said } = await check(repo);
    expect(said).toContain('layers: ok');
    expect(code).toBe(0);
  });

  it('passes imports that follow the grain', async () => {
    expect((await check(tree(base))).code).toBe(0);
  });

  it.each([
    [
      'the core importing freqtrade/',
      'src/services/backtests.ts',
      "import type { R } from '../../freqtrade/result.ts';\n",
      /src\/services\/backtests\.ts imports freqtrade\/result\.ts: the core reaches .* only through ports/,
    ],
    [
      'freqtrade/ importing the core',
      'freqtrade/result.ts',
      "import type { B } from '../src/services/backtests.ts';\n",
      /freqtrade\/ is a leaf/,
    ],
    [
      'the vocabulary importing a service',
      'src/backtest/summary.ts',
      "import type { B } from '../services/backtests.ts';\n",
      /stand on the kernel alone/,
    ],
    [
      'an adapter importing storage',
      'adapters/telegram/index.ts',
      "export * from '../../src/storage/models.ts';\n",
      /an adapter translates only/,
    ],
    [
      'an adapter importing another platform',
      'adapters/slack/index.ts',
      "import '../telegram/render.ts';\n",
      /never another platform/,
    ],
  ])('fails on %s, saying why', async (_label, file, text, why) => {
    const { code, said } = await check(tree({ ...base, [file]: text }));
    expect(code).toBe(1);
    expect(said).toMatch(why);
  });

  it.each([
    [
      'a multi-line import with an apostrophe in a comment',
      'src/services/backtests.ts',
      "import {\n  type R, // the user's result\n} from '../../freqtrade/result.ts';\n",
      /src\/services\/backtests\.ts imports freqtrade\/result\.ts/,
    ],
    [
      'a .js specifier',
      'src/services/backtests.ts',
      "import { x } from '../../jobs/run.js';\n",
      /imports jobs\/run\.ts/,
    ],
    [
      'a file in no layer',
      'src/extra/thing.ts',
      'export const x = 1;\n',
      /src\/extra\/thing\.ts belongs to no layer/,
    ],
    [
      'an import of the tests',
      'src/services/backtests.ts',
      "import '../../test/support/app.ts';\n",
      /never imports its tests/,
    ],
    [
      'a computed dynamic import',
      'src/services/backtests.ts',
      'const m = await import(name);\n',
      /computed path/,
    ],
  ])('fails on %s', async (_label, file, text, why) => {
    const { code, said } = await check(tree({ ...base, [file]: text }));
    expect(code).toBe(1);
    expect(said).toMatch(why);
  });

  it('fails on an import loop inside src/', async () => {
    const { code, said } = await check(
      tree({
        ...base,
        'src/core/a.ts': "import type { B } from './b.ts';\nexport type A = B;\n",
        'src/core/b.ts': "import type { A } from './a.ts';\nexport type B = A;\n",
      }),
    );
    expect(code).toBe(1);
    expect(said).toContain('import loop: src/core/a.ts -> src/core/b.ts -> src/core/a.ts');
  });
});
