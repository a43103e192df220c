// A newcomer's first step: clone, then the bootstrap `npm start` and `npm test` run first. The committed
// lockfile must install as committed (`npm ci`, not a fallback to `npm install` rewriting it), and the
// clone must be unchanged afterwards: no tracked file modified, nothing untracked left outside
// .gitignore. Tests what is committed (HEAD), as CI does.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config.ts';

const run = promisify(execFile);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gentrade-fresh-clone-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a fresh clone', () => {
  it('installs the lockfile as committed and stays clean through the bootstrap', async () => {
    const clone = path.join(tmp, 'gentrade');
    await run('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]);
    const boot = await run(process.execPath, ['scripts/bootstrap.mjs'], {
      cwd: clone,
      env: { ...process.env, CI: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const said = `${boot.stdout}${boot.stderr}`;
    expect(said).toMatch(/node deps: ok .*npm ci/);
    expect(said).not.toMatch(/falling back to npm install|rewrote package-lock\.json/);
    const status = await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: clone });
    expect(status.stdout).toBe('');
    // And the lockfile is byte for byte what was committed.
    const committed = await run('git', ['show', 'HEAD:package-lock.json'], {
      cwd: clone,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(readFileSync(path.join(clone, 'package-lock.json'), 'utf8')).toBe(committed.stdout);
  }, 300_000);
});
