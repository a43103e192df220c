// validate-dir's report: verdicts to outcomes, one line per file, and a split that adds up.
import { describe, expect, it } from 'vitest';
import {
  type FileOutcome,
  formatLine,
  formatSummary,
  outcomeOf,
  summarize,
} from '../../../src/cli/dir-report.ts';

const smoke = (trades: number) => ({ trades, timerange: '20251201-20260101', pairs: ['BTC/USDT'] });

const refused = (file: string, stage: string, rule: string): FileOutcome =>
  outcomeOf(file, 'spot', {
    accepted: false,
    stage,
    violations: [
      { rule, line: 3, message: `broke ${rule}\nsecond line` },
      { rule: 'other', line: 9, message: 'later' },
    ],
  });

describe('validate-dir report', () => {
  it('reads traded, zero-trade, unsmoked and refused verdicts', () => {
    const accepted = { accepted: true as const, className: 'A', timeframe: '1h' };
    expect(outcomeOf('a.py', 'spot', { ...accepted, smoke: smoke(4) })).toMatchObject({
      kind: 'traded',
      trades: 4,
    });
    expect(outcomeOf('b.py', 'futures', { ...accepted, smoke: smoke(0), diagnosis: 'never fired' })).toEqual({
      file: 'b.py',
      tradingMode: 'futures',
      kind: 'zero-trades',
      timeframe: '1h',
      diagnosis: 'never fired',
    });
    expect(outcomeOf('c.py', 'spot', accepted)).toMatchObject({ kind: 'accepted' });
    expect(refused('d.py', 'static', 'forbidden-import')).toMatchObject({
      kind: 'refused',
      rule: 'forbidden-import',
      line: 3,
      rules: ['forbidden-import', 'other'],
    });
  });

  it('prints one line per file, the first violation folded onto it', () => {
    expect(formatLine(refused('d.py', 'static', 'forbidden-import'))).toBe(
      'REFUSED  d.py: static/forbidden-import line 3: broke forbidden-import second line',
    );
    expect(formatLine({ file: 'e.py', tradingMode: 'futures', kind: 'error', message: 'x' })).toBe(
      'ERROR    e.py [futures]: engine error: x',
    );
  });

  it('splits the folder, causes most common first with an example, shares of the whole', () => {
    const outcomes: FileOutcome[] = [
      outcomeOf('a.py', 'spot', { accepted: true, className: 'A', timeframe: '5m', smoke: smoke(2) }),
      outcomeOf('b.py', 'spot', { accepted: true, className: 'B', timeframe: '5m', smoke: smoke(0) }),
      refused('c.py', 'load', 'load-error'),
      refused('d.py', 'static', 'module-traversal'),
      refused('e.py', 'static', 'module-traversal'),
      refused('f.py', 'static', 'forbidden-import'),
      { file: 'g.py', tradingMode: 'spot', kind: 'error', message: 'engine died' },
    ];
    const summary = summarize(outcomes);
    expect(summary).toMatchObject({
      files: 7,
      traded: 1,
      zeroTrades: 1,
      acceptedUnsmoked: 0,
      refused: 4,
      errors: 1,
    });
    expect(summary.causes).toEqual([
      { cause: 'static/module-traversal', count: 2, share: 28.6, example: 'd.py' },
      { cause: 'load/load-error', count: 1, share: 14.3, example: 'c.py' },
      { cause: 'static/forbidden-import', count: 1, share: 14.3, example: 'f.py' },
    ]);
    const text = formatSummary('dir', summary);
    expect(text).toMatch(/^7 files in dir:$/m);
    expect(text).toMatch(/^ {2}accepted and traded +1 +14\.3%$/m);
    expect(text).toMatch(/^ {2}static\/module-traversal +2 +28\.6% {2}e\.g\. d\.py$/m);
    expect(text).not.toMatch(/no smoke run/);
  });
});
