// The CI verdict line and exit code, driven through the same CLI that .ci/run calls.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../scripts/lib/ci-summary.mjs', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-ci-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function reportFile(content: string): string {
  const file = path.join(dir, `report-${n++}.json`);
  writeFileSync(file, content);
  return file;
}

const vitestReport = (counts: Partial<Record<string, number>>) =>
  reportFile(
    JSON.stringify({
      numTotalTests: 0,
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      success: true,
      testResults: [],
      ...counts,
    }),
  );

function summarize(report: string, npmTestExit: number): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, report, String(npmTestExit)], (err, stdout) => {
      resolve({ stdout, code: err ? Number(err.code) : 0 });
    });
  });
}

describe('ci-summary', () => {
  it('reports a green run and exits 0', async () => {
    expect(await summarize(vitestReport({ numPassedTests: 12 }), 0)).toEqual({
      stdout: '12 passed, 0 failed\n',
      code: 0,
    });
  });

  it('counts pending and todo tests as skipped and fails on failed tests', async () => {
    const report = vitestReport({
      numPassedTests: 3,
      numFailedTests: 2,
      numPendingTests: 1,
      numTodoTests: 2,
    });
    expect(await summarize(report, 1)).toEqual({ stdout: '3 passed, 2 failed, 3 skipped\n', code: 1 });
  });

  it('counts one failure when npm test failed but no test did (a suite failed to load)', async () => {
    expect(await summarize(vitestReport({ numPassedTests: 4 }), 1)).toEqual({
      stdout: '4 passed, 1 failed\n',
      code: 1,
    });
  });

  it('counts one failure when the report is missing or unreadable', async () => {
    expect(await summarize(path.join(dir, 'never-written.json'), 1)).toEqual({
      stdout: '0 passed, 1 failed\n',
      code: 1,
    });
    expect(await summarize(reportFile('{"numPassedTests": 3'), 0)).toEqual({
      stdout: '0 passed, 1 failed\n',
      code: 1,
    });
  });
});
