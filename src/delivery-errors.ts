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
