// The pace of a progress message's edits: when a state may go, and when a newer one makes it moot.
import { describe, expect, it } from 'vitest';
import { createPaceQueue, paceWait } from '../../../src/core/progress-pace.ts';

const at = (ms: number) => new Date(ms);

describe('paceWait', () => {
  it('lets the first post and a final state right after the post go at once', () => {
    expect(paceWait(null, 'running', 0)).toBe(0);
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'succeeded', 1_100)).toBe(0);
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'cancelled', 1_100)).toBe(0);
  });

  it('holds an edit until 2 s after the message was last written', () => {
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'running', 1_500)).toBe(1_500);
    expect(paceWait({ edits: 3, writtenAt: at(1_000) }, 'succeeded', 2_000)).toBe(1_000);
    expect(paceWait({ edits: 3, writtenAt: at(1_000) }, 'running', 3_500)).toBe(0);
  });
});

describe('the pace queue', () => {
  it('drops a waiting state once a newer one of at least its rank comes, never a final one for a late lower one', () => {
    const q = createPaceQueue();
    const first = q.enter('k', 'running');
    const second = q.enter('k', 'running');
    expect(q.superseded('k', first)).toBe(true);
    expect(q.superseded('k', second)).toBe(false);
    const final = q.enter('k', 'cancelled');
    q.enter('k', 'running'); // a late phase from a run that was stopped
    expect(q.superseded('k', second)).toBe(true);
    expect(q.superseded('k', final)).toBe(false);
    q.leave('k', first);
    expect(q.superseded('k', first)).toBe(true);
    expect(q.superseded('other', first)).toBe(false);
  });
});
