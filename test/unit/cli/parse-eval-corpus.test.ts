// The offline parser on requests written by people who had not seen it (test/fixtures/requests, see
// FORMAT.md there). The tune splits are the ones the parser was worked on: nothing in them may be misread,
// and what they parse as intended may only grow. The holdout split is never tuned against; its figures are
// measured with `npx gentrade parse-eval` and reported in the README, not asserted here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EvalRequest, judge } from '../../../src/cli/parse-eval.ts';

const MARKETS = new Set(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT']);

function corpus(name: string): EvalRequest[] {
  return readFileSync(new URL(`../../fixtures/requests/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

// Intended counts when last measured here, against these five markets (the README's figures use the markets
// snapshot, where a request naming a listed coin outside these five can count once more); a change may raise
// them, never lower them, but for a strategy the eval counted whose entry could never fire (tune3 and tune4
// each lost one that way when a line under and over the same VWAP became a question).
const SPLITS = [
  { file: 'tune.jsonl', intended: 195 },
  { file: 'tune2.jsonl', intended: 211 },
  { file: 'tune3.jsonl', intended: 153 },
  { file: 'tune4.jsonl', intended: 176 },
  { file: 'tune5.jsonl', intended: 185 },
  { file: 'tune6.jsonl', intended: 185 },
  { file: 'tune7.jsonl', intended: 190 },
  { file: 'tune8.jsonl', intended: 151 },
  { file: 'tune9.jsonl', intended: 127 },
];

describe.each(SPLITS)('offline parser on the blind-written split $file', ({ file, intended }) => {
  const verdicts = corpus(file).map((req) => ({ req, verdict: judge(req, MARKETS) }));

  it('misreads none', () => {
    const misread = verdicts
      .filter((v) => v.verdict.outcome === 'misread')
      .map((v) => `${v.req.id} ${v.req.text}`);
    expect(misread).toEqual([]);
  });

  it(`parses at least ${intended} as intended, as when last measured`, () => {
    expect(verdicts.filter((v) => v.verdict.outcome === 'intended').length).toBeGreaterThanOrEqual(intended);
  });
});
