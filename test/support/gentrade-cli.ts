// Runs `node bin/gentrade.mjs ...` as traders do, in a subprocess, for the CLI's integration tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../src/config.ts';

const BIN = path.join(repoRoot, 'bin', 'gentrade.mjs');

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Only PATH and HOME (= `cwd`) reach the CLI: it must work without database or chat credentials. */
export function runGentrade(cwd: string, ...args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
