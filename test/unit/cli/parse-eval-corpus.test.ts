// The offline parser on requests written by people who had not seen it (test/fixtures/requests, see
// FORMAT.md there). The tune split is the one the parser was worked on: nothing in it may be misread, and
// what it parses as intended may only grow. The holdout split is never tuned against; its figures are
// measured with `npx gentrade parse-eval` and reported in the README, not asserted here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EvalRequest, judge } from '../../../src/cli/parse-eval.ts';

const MARKETS = new Set(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT']);
const tune: EvalRequest[] = readFileSync(
  new URL('../../fixtures/requests/tune.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

describe('offline parser on the tune split of blind-written requests', () => {
  const verdicts = tune.map((req) => ({ req, verdict: judge(req, MARKETS) }));

  it('misreads none', () => {
    const misread = verdicts
      .filter((v) => v.verdict.outcome === 'misread')
      .map((v) => `${v.req.id} ${v.req.text}`);
    expect(misread).toEqual([]);
  });

  it('parses at least as many as intended as when last measured (126 of 230)', () => {
    expect(verdicts.filter((v) => v.verdict.outcome === 'intended').length).toBeGreaterThanOrEqual(126);
  });
});
