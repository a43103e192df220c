// Coded errors that carry one sentence meant for the chat user. The conversation core is the only
// place that shows `userMessage`; everything else is logged with the cause and correlation id.

export type ErrorCode =
  | 'BAD_COMMAND'
  | 'BAD_INPUT'
  | 'BAD_TIMERANGE'
  | 'UNKNOWN_PAIR'
  | 'NO_DATA'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'SPEC_INVALID'
  | 'PARSE_FAILED'
  | 'STRATEGY_LOAD'
  | 'ENGINE_FAILED'
  | 'ENGINE_TIMEOUT'
  | 'STORAGE'
  | 'CONFIG'
  /** A chat platform can't be reached right now; worth trying again later. */
  | 'PLATFORM_DOWN'
  /** A per-user quota is used up; the sentence says which and when it resets. */
  | 'QUOTA'
  /** REQUIRE_LINK is on and this chat identity has no account. */
  | 'NOT_LINKED'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;

  constructor(code: ErrorCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(
      options?.detail ?? userMessage,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
