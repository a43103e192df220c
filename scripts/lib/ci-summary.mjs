// Turns Vitest's JSON report and `npm test`'s exit code into CI's one-line verdict,
// "N passed, N failed[, N skipped]". A run that died before reporting (bootstrap failure, crash,
// unhandled error) must never read as green, so it counts as one failure.
//
// CLI (used by .ci/run): node scripts/lib/ci-summary.mjs <report.json> <npm test exit code>
// prints the line and exits 1 when anything failed.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const count = (value) => (Number.isInteger(value) && value > 0 ? value : 0);

/**
 * @param {unknown} report  parsed Vitest JSON report, or null when missing/unreadable
 * @param {number} exitCode exit code of `npm test`
 * @returns {{ passed: number, failed: number, skipped: number, ok: boolean, line: string }}
 */
export function summarize(report, exitCode) {
  const r = report !== null && typeof report === 'object' ? report : null;
  const passed = count(r?.numPassedTests);
  const skipped = count(r?.numPendingTests) + count(r?.numTodoTests);
  let failed = count(r?.numFailedTests);
  // No report, or a non-zero exit the counts don't explain (failed suite file, unhandled error).
  if (r === null || (exitCode !== 0 && failed === 0)) failed += 1;
  const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { passed, failed, skipped, ok: failed === 0 && exitCode === 0, line };
}

/** Reads and parses the report; null when it is missing or not JSON. */
export function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [reportPath, exitCodeArg] = process.argv.slice(2);
  const exitCode = Number.parseInt(exitCodeArg ?? '', 10);
  const summary = summarize(
    reportPath ? readReport(reportPath) : null,
    Number.isNaN(exitCode) ? 1 : exitCode,
  );
  process.stdout.write(`${summary.line}\n`);
  process.exitCode = summary.ok ? 0 : 1;
}
