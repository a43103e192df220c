// Two bootstraps at once on one node_modules (git worktrees linking theirs to one checkout's): the
// second waits for the first install and finds it done, rather than running npm into the same folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

type Ctx = { repoDir: string; logDir: string; note: (line: string) => void };
const moduleUrl = new URL('../../../scripts/lib/node-deps.mjs', import.meta.url).href;
const { ensureNodeDeps } = (await import(moduleUrl)) as {
  ensureNodeDeps: (ctx: Ctx) => Promise<{ cached: boolean }>;
};

const root = mkdtempSync(path.join(os.tmpdir(), 'gentrade-node-deps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function checkout(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  // One local dependency, so npm keeps node_modules (it removes an empty one) without the registry.
  mkdirSync(path.join(dir, 'dep'));
  writeFileSync(path.join(dir, 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
  const pkg = { name: 'probe', version: '1.0.0', private: true, dependencies: { dep: 'file:./dep' } };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

/** Two checkouts of one commit: the same package.json and package-lock.json. */
function twoCheckouts(): [string, string] {
  const main = checkout('main');
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
    cwd: main,
    stdio: 'ignore',
  });
  const tree = checkout('tree');
  copyFileSync(path.join(main, 'package-lock.json'), path.join(tree, 'package-lock.json'));
  return [main, tree];
}

describe('ensureNodeDeps', () => {
  it('installs once when two checkouts sharing one node_modules bootstrap at the same time', async () => {
    const [main, tree] = twoCheckouts();
    mkdirSync(path.join(main, 'node_modules'));
    symlinkSync(path.join(main, 'node_modules'), path.join(tree, 'node_modules'));
    const logDir = path.join(root, 'logs');
    mkdirSync(logDir);
    const note = () => {};
    const both = await Promise.all([
      ensureNodeDeps({ repoDir: main, logDir, note }),
      ensureNodeDeps({ repoDir: tree, logDir, note }),
    ]);
    expect(both.map((r) => r.cached).sort()).toEqual([false, true]);
  }, 120_000);
});
