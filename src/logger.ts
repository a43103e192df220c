// JSON logs with pino. Every incoming event and every job gets a child logger carrying its
// correlation id, so one user action can be followed from the chat message to the backtest result.
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Creates the root logger. `destination` is a file path; stdout when omitted. */
export function createLogger(opts: { level: string; destination?: string | undefined }): Logger {
  const dest = opts.destination
    ? pino.destination({ dest: opts.destination, mkdir: true, sync: false })
    : pino.destination({ dest: 1, sync: false });
  return pino(
    { level: opts.level, base: { app: 'gentrade' }, timestamp: pino.stdTimeFunctions.isoTime },
    dest,
  );
}

export function newCorrelationId(): string {
  return randomUUID().slice(0, 13).replace('-', '');
}
