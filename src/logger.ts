// JSON logs with pino. Every incoming event and every job gets a child logger carrying its
// correlation id, so one user action can be followed from the chat message to the backtest result.
import { randomUUID } from 'node:crypto';
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

const REDACTED = '[redacted]';
// Shorter values could be ordinary words; real tokens and keys are much longer.
const MIN_SECRET_LENGTH = 8;

/**
 * Removes every occurrence of the given secrets from a serialized log line. Tokens reach logs in
 * places no field-based redaction can see: grammY's network errors quote the request URL, which holds
 * the bot token (`…/bot<TOKEN>/getMe failed`), nested inside the error pino serializes.
 */
export function redactSecrets(secrets: readonly string[]): (line: string) => string {
  const needles = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].flatMap((s) => {
    // As the JSON line spells it too (a secret with a quote or backslash is escaped there).
    const escaped = JSON.stringify(s).slice(1, -1);
    return escaped === s ? [s] : [s, escaped];
  });
  if (needles.length === 0) return (line) => line;
  return (line) => needles.reduce((out, needle) => out.replaceAll(needle, REDACTED), line);
}

/** The options every GenTrade logger uses (also the test harness's, so tests see what operators see). */
export function logOptions(opts: { level: string; secrets?: readonly string[] }): LoggerOptions {
  const redact = redactSecrets(opts.secrets ?? []);
  return {
    level: opts.level,
    base: { app: 'gentrade' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: redact },
  };
}

/** Creates the root logger. `destination` is a file path; stdout when omitted. */
export function createLogger(opts: {
  level: string;
  destination?: string | undefined;
  secrets?: readonly string[];
}): Logger {
  const dest = opts.destination
    ? pino.destination({ dest: opts.destination, mkdir: true, sync: false })
    : pino.destination({ dest: 1, sync: false });
  return pino(logOptions(opts), dest);
}

export function newCorrelationId(): string {
  return randomUUID().slice(0, 13).replace('-', '');
}
