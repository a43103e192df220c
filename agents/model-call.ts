// Every request to the model goes through here, so a retry is never silent: the client's own retries are
// off (agents/model.ts) and this loop tries a timed-out, rate-limited (429), overloaded (5xx) or
// unreachable model again, up to OPENAI_MAX_RETRIES times. Each failed try is logged with the turn's
// correlation id (on the logger passed in), what failed, the wait before the next try and the outcome;
// an answer after a retry is logged too. A 429's retry-after is honoured; one longer than MAX_WAIT_MS is
// not waited out (the chat would hang): the caller falls back at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** Backoff without a retry-after: 0.5 s, 1 s, 2 s, ... (plus up to a quarter of jitter). */
const BASE_DELAY_MS = 500;
/** The longest wait a chat turn takes before giving up on the model. */
const MAX_WAIT_MS = 20_000;

/** Why a try failed, as logged: the HTTP status when there is one. */
type Failure = {
  /** `refused`: a 4xx other than 408, 409 and 429; `error`: anything else not worth another try. */
  kind: 'timeout' | 'rate-limited' | 'server error' | 'unreachable' | 'refused' | 'error';
  status?: number;
  retryAfterMs?: number;
};

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null && key in err ? Reflect.get(err, key) : undefined;
}

/** The server's retry-after (retry-after-ms, or retry-after in seconds or as a date) in ms. */
function retryAfterMs(err: unknown): number | undefined {
  const headers = field(err, 'headers');
  const get = (name: string): string | null =>
    headers instanceof Headers
      ? headers.get(name)
      : typeof headers === 'object' && headers !== null
        ? String(Reflect.get(headers, name) ?? '') || null
        : null;
  const ms = Number(get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function classify(err: unknown): Failure {
  const status = field(err, 'status');
  if (typeof status === 'number') {
    if (status === 429) {
      const after = retryAfterMs(err);
      return { kind: 'rate-limited', status, ...(after === undefined ? {} : { retryAfterMs: after }) };
    }
    // 408 and 409 are worth another try, as OpenAI's own client holds.
    if (status >= 500 || status === 408 || status === 409) return { kind: 'server error', status };
    return { kind: 'refused', status };
  }
  const name = field(err, 'name');
  if (name === 'TimeoutError') return { kind: 'timeout' };
  const message = String(field(err, 'message') ?? '');
  if (/connection error|ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/i.test(message))
    return { kind: 'unreachable' };
  return { kind: 'error' };
}

function backoff(attempt: number): number {
  const base = BASE_DELAY_MS * 2 ** (attempt - 1);
  return Math.round(base + Math.random() * base * 0.25);
}

/**
 * Runs `call` and tries it again on a transient failure, at most `retries` more times. `log` carries the
 * turn's correlation id; `purpose` names what the model was asked for (routing, draft, explanation).
 */
export async function callModel<T>(
  opts: { retries: number; log: Logger; purpose: string },
  call: () => Promise<T>,
): Promise<T> {
  const { log, purpose } = opts;
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await call();
      if (attempt > 1) log.info({ purpose, attempt, outcome: 'answered' }, 'model answered after a retry');
      return answer;
    } catch (err) {
      const failure = classify(err);
      const waitMs = failure.retryAfterMs ?? backoff(attempt);
      const outcome =
        failure.kind === 'refused' || failure.kind === 'error'
          ? 'gave up: not worth retrying'
          : attempt > opts.retries
            ? `gave up after ${attempt === 1 ? '1 try' : `${attempt} tries`}`
            : waitMs > MAX_WAIT_MS
              ? 'gave up: the wait asked for is too long'
              : 'retrying';
      const retrying = outcome === 'retrying';
      log.warn(
        {
          purpose,
          attempt,
          failure: failure.kind,
          status: failure.status,
          waitMs: retrying ? waitMs : 0,
          retryAfterMs: failure.retryAfterMs,
          outcome,
          err,
        },
        retrying ? `model ${failure.kind}; retrying in ${waitMs} ms` : `model ${failure.kind}; ${outcome}`,
      );
      if (!retrying) throw err;
      await sleep(waitMs);
    }
  }
}
