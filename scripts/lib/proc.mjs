// Runs external tools (npm, go, python) with their output captured to a log file instead of our
// terminal: a cached run stays quiet and a failed one can quote the last lines.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * @typedef {{ code: number | null, signal: string | null, output: string, missing: boolean }} RunResult
 * `missing` is true when the executable itself was not found (ENOENT).
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logPath?: string }} [options]
 * @returns {Promise<RunResult>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));

    let spawnError = null;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      const header = `$ ${[command, ...args].join(' ')}\n(cwd ${options.cwd ?? process.cwd()})\n`;
      const output = Buffer.concat(chunks).toString('utf8') + (spawnError ? `\n${spawnError.message}\n` : '');
      if (options.logPath) appendLog(options.logPath, header + output);
      resolve({
        code,
        signal,
        output,
        missing: spawnError !== null && /** @type {NodeJS.ErrnoException} */ (spawnError).code === 'ENOENT',
      });
    });
  });
}

const startedLogs = new Set();

// The first command of a run truncates the step's log; later commands of the same step append.
function appendLog(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${text}\n`, { flag: startedLogs.has(path) ? 'a' : 'w' });
  startedLogs.add(path);
}

/** Last `n` non-empty lines of a tool's output, for error messages. */
export function tail(output, n = 15) {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-n)
    .join('\n');
}
