// How a ChatSink tells the notifier that retrying won't help. Transient failures (timeouts, 5xx, a
// platform outage) are plain errors and the message waits in the outbox; these two are not.

/**
 * The platform will never take this message for this chat: the bot was blocked or removed, the chat
 * is gone, or the payload is invalid. The notifier logs it and drops the message instead of retrying;
 * a backtest's result stays available with /show.
 */
export class UndeliverableError extends Error {
  override readonly name = 'UndeliverableError';
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
  }
}

/**
 * The message a progress update was meant to edit no longer exists or can't be edited (deleted, too
 * old, a photo where text was expected). The notifier sends the update as a new message instead.
 */
export class MessageGoneError extends Error {
  override readonly name = 'MessageGoneError';
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
  }
}

/**
 * The platform answered in a shape it never uses for a passing trouble (an error without its code,
 * as a broken proxy or an emulator may): retried a few times, not for hours.
 */
export class UnrecognisedReplyError extends Error {
  override readonly name = 'UnrecognisedReplyError';
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
  }
}

/**
 * A message sent in parts (text, then a chart, then a code file) stopped at part `sent` (0-based): the
 * parts before it are in the chat and must not be sent again. `optional` says whether that part may be
 * left out (a chart or a file) rather than hold the chat; `firstMessageId` is the platform's id of the
 * message's first part when this try sent it. `cause` is what went wrong, already translated (an
 * UndeliverableError when the platform will never take that part).
 */
export class PartialDeliveryError extends Error {
  override readonly name = 'PartialDeliveryError';
  readonly sent: number;
  readonly optional: boolean;
  readonly firstMessageId: string | undefined;
  constructor(
    part: { sent: number; optional: boolean; firstMessageId?: string | undefined },
    cause: unknown,
  ) {
    super(`part ${part.sent + 1} not delivered: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.sent = part.sent;
    this.optional = part.optional;
    this.firstMessageId = part.firstMessageId;
  }
}

/** The line a chat sees in place of a part left out after several tries (`what`: "the chart", a file name). */
export const leftOutLine = (what: string) =>
  `I could not send ${what} after several tries, so I left it out.`;
