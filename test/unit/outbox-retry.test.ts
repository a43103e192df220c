// The outbox's rules after a failed try, on their own: where the next try starts, when an optional part
// is left out, and when a message is dropped instead of holding its chat for hours.
import { describe, expect, it } from 'vitest';
import {
  PartialDeliveryError,
  UndeliverableError,
  UnrecognisedReplyError,
} from '../../src/delivery-errors.ts';
import {
  afterFailure,
  FEW_TRIES,
  NOTHING_SENT,
  type PartProgress,
  resumeAt,
} from '../../src/outbox-retry.ts';

const partial = (sent: number, optional: boolean, cause: unknown = new Error('socket hang up')) =>
  new PartialDeliveryError({ sent, optional, firstMessageId: '11' }, cause);

function retried(err: unknown, before: PartProgress, attempts = 1): PartProgress {
  const next = afterFailure(err, before, attempts);
  if (next.kind !== 'retry') throw new Error(`dropped: ${next.why}`);
  return next.progress;
}

describe('afterFailure', () => {
  it('resumes after the parts sent, and counts tries at the same part', () => {
    const first = retried(partial(2, true), NOTHING_SENT);
    expect(first).toEqual({ sentParts: 2, partTries: 1, partOptional: true, firstMessageId: '11' });
    expect(resumeAt(first)).toEqual({ from: 2, leaveOut: false });
    const second = retried(partial(2, true), first, 2);
    const third = retried(partial(2, true), second, 3);
    expect(third.partTries).toBe(FEW_TRIES);
    expect(resumeAt(third)).toEqual({ from: 2, leaveOut: true });
    // Progress past that part starts the count again.
    expect(retried(partial(3, true), third, 4).partTries).toBe(1);
  });

  it('leaves an optional part the platform refuses for good out at once; drops an essential one', () => {
    const next = afterFailure(partial(1, true, new UndeliverableError('too big')), NOTHING_SENT, 1);
    expect(next).toMatchObject({ kind: 'retry', now: true });
    expect(next.kind === 'retry' && resumeAt(next.progress)).toEqual({ from: 1, leaveOut: true });
    expect(afterFailure(new UndeliverableError('blocked'), NOTHING_SENT, 1).kind).toBe('drop');
  });

  it('drops a text after a few answers without the usual fields, but retries an outage', () => {
    const odd = new UnrecognisedReplyError('no error_code');
    let at = NOTHING_SENT;
    for (let n = 1; n < FEW_TRIES; n++) at = retried(odd, at, n);
    expect(afterFailure(odd, at, FEW_TRIES).kind).toBe('drop');
    expect(afterFailure(new Error('ECONNRESET'), at, FEW_TRIES).kind).toBe('retry');
    expect(afterFailure(new Error('ECONNRESET'), at, 200).kind).toBe('drop');
  });

  it('starts a message nothing of which was sent from the beginning', () => {
    expect(resumeAt(retried(new Error('timeout'), NOTHING_SENT))).toBeUndefined();
  });
});
