// What the notifier does after a failed delivery: where the message stands (how many of its parts are
// in the chat, how often the next one failed), whether to try again, from which part, and when to give
// up. Pure, so the rules read in one place: a part already in the chat is never sent again; an optional
// part (a chart, a file) that keeps failing is left out after a few tries, with a line saying so,
// rather than holding every later message to that chat; an answer a platform never gives for a passing
// trouble is not retried for hours.
import { PartialDeliveryError, UndeliverableError, UnrecognisedReplyError } from './delivery-errors.ts';

/** How far a message got: kept with it in the outbox between tries. */
export type PartProgress = {
  /** Parts already in the chat (the next try starts after them). */
  sentParts: number;
  /** Tries that failed at part `sentParts`. */
  partTries: number;
  /** Whether part `sentParts` may be left out. */
  partOptional: boolean;
  /** The platform's id of the message's first part, once sent (progress updates edit it later). */
  firstMessageId: string | null;
};

type Stored = { [K in keyof PartProgress]?: PartProgress[K] | null | undefined };
/** Where a stored outbox message stands; one stored before parts were counted stands at the start. */
export const storedProgress = (d: Stored): PartProgress => ({
  sentParts: d.sentParts ?? 0,
  partTries: d.partTries ?? 0,
  partOptional: d.partOptional ?? false,
  firstMessageId: d.firstMessageId ?? null,
});

/** Where a sink starts: parts before `from` are in the chat; with `leaveOut`, part `from` becomes a line saying so. */
export type DeliveryResume = { from: number; leaveOut: boolean };

export const NOTHING_SENT: PartProgress = {
  sentParts: 0,
  partTries: 0,
  partOptional: false,
  firstMessageId: null,
};

/** Tries at one optional part, or after answers without the platform's usual fields, before giving up on it. */
export const FEW_TRIES = 3;
/** Tries at a message overall (with the backoff, most of a day) before it is dropped. */
const MAX_ATTEMPTS = 200;

export type AfterFailure =
  | { kind: 'drop'; why: string }
  /** `now`: the next try needs no wait (it leaves out a part the platform refused for good). */
  | { kind: 'retry'; progress: PartProgress; now: boolean };

/** The next step after try number `attempts` failed with `err`, from where the message stood before it. */
export function afterFailure(err: unknown, before: PartProgress, attempts: number): AfterFailure {
  const partial = err instanceof PartialDeliveryError ? err : undefined;
  const cause = partial ? partial.cause : err;
  const sent = partial?.sent ?? before.sentParts;
  const progress: PartProgress = {
    sentParts: sent,
    partTries: sent > before.sentParts ? 1 : before.partTries + 1,
    partOptional: partial?.optional ?? before.partOptional,
    firstMessageId: before.firstMessageId ?? partial?.firstMessageId ?? null,
  };
  if (cause instanceof UndeliverableError) {
    if (!progress.partOptional) return { kind: 'drop', why: 'the platform refused it for good' };
    return { kind: 'retry', progress: { ...progress, partTries: FEW_TRIES }, now: true };
  }
  const unrecognised = cause instanceof UnrecognisedReplyError;
  if (unrecognised && !progress.partOptional && progress.partTries >= FEW_TRIES)
    return { kind: 'drop', why: `${FEW_TRIES} answers without the platform's usual fields` };
  if (attempts >= MAX_ATTEMPTS) return { kind: 'drop', why: `${MAX_ATTEMPTS} tries` };
  return { kind: 'retry', progress, now: false };
}

/** Where the next try starts; undefined for a message none of which is in the chat yet. */
export function resumeAt(p: PartProgress): DeliveryResume | undefined {
  const leaveOut = p.partOptional && p.partTries >= FEW_TRIES;
  return p.sentParts > 0 || leaveOut ? { from: p.sentParts, leaveOut } : undefined;
}
