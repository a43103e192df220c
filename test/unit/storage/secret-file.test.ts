// The app's own secrets on disk: made once with mode 0600 in a 0700 folder, the same on every later
// read, one secret when several processes make it at once, and a file that holds none is refused.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOrCreateSecret } from '../../../src/storage/secret-file.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'gentrade-secret-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('secret file', () => {
  it('makes a random secret once, readable by its owner only, and reads the same one after', async () => {
    const file = path.join(root, 'secrets', 'link-code.key');
    const first = await readOrCreateSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(await readOrCreateSecret(file)).toBe(first);
    expect(await readOrCreateSecret(path.join(root, 'secrets', 'other.key'))).not.toBe(first);
    // No temporary files are left behind.
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['link-code.key', 'other.key']);
  });

  it('agrees on one secret when many make it at once', async () => {
    const file = path.join(root, 'key');
    const all = await Promise.all(Array.from({ length: 20 }, () => readOrCreateSecret(file)));
    expect(new Set(all).size).toBe(1);
    expect(readFileSync(file, 'utf8').trim()).toBe(all[0]);
  });

  it('tightens a copy restored readable by others, and refuses a file that holds no secret', async () => {
    const file = path.join(root, 'key');
    writeFileSync(file, `${'ab'.repeat(32)}\n`);
    chmodSync(file, 0o644);
    expect(await readOrCreateSecret(file)).toBe('ab'.repeat(32));
    expect(mode(file)).toBe(0o600);
    writeFileSync(file, 'short\n');
    await expect(readOrCreateSecret(file)).rejects.toMatchObject({
      code: 'CONFIG',
      userMessage: expect.stringContaining('holds no usable secret'),
    });
  });
});
