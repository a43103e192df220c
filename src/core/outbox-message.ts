// What the notifier's outbox needs of a stored message: how one is parked (only the newest state of a
// progress message), the message as it was before BSON stored it, and how long a failed one waits
// before its next try.
import { Binary } from 'mongodb';
import { z } from 'zod';
import type { Models } from '../storage/models.ts';
import { type ChatAddress, type OutgoingMessage, PROGRESS_RANK as RANK } from './types.ts';

export const ProgressStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
const StoredProgressSchema = z.object({ progress: z.object({ state: ProgressStateSchema }) });

const MAX_BACKOFF_MS = 5 * 60_000;

export function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 12));
}

/** BSON hands stored bytes back as Binary; sinks need the Uint8Array the job put in (charts, files). */
function bytes(data: unknown): Uint8Array {
  if (data instanceof Binary) return data.buffer;
  return data instanceof Uint8Array ? data : new Uint8Array();
}

/** A message as it was before the outbox stored it. */
export function revive(m: OutgoingMessage): OutgoingMessage {
  const out = { ...m };
  if (m.card?.image) out.card = { ...m.card, image: { ...m.card.image, data: bytes(m.card.image.data) } };
  if (m.attachments) out.attachments = m.attachments.map((a) => ({ ...a, data: bytes(a.data) }));
  return out;
}

/**
 * Keeps a message in the outbox for a later try; of one progress message, only the newest state.
 * `next.fields` are stored with it (how far it got, see outbox-retry.ts); `next.now` makes it due at once.
 */
export async function parkMessage(
  Outbox: Models['Outbox'],
  address: ChatAddress,
  message: OutgoingMessage,
  error: string | null,
  attempts: number,
  next: { fields?: Record<string, unknown>; now?: boolean } = {},
): Promise<void> {
  const key = message.progress?.key ?? null;
  if (key && message.progress) {
    const rank = RANK[message.progress.state];
    const waiting = await Outbox.find({ progressKey: key, platform: address.platform }).lean();
    const newer = waiting.some((w) => {
      const stored = StoredProgressSchema.safeParse(w.message);
      return stored.success && RANK[stored.data.progress.state] > rank;
    });
    if (newer) return;
    await Outbox.deleteMany({ progressKey: key, platform: address.platform });
  }
  await Outbox.create({
    platform: address.platform,
    address,
    message,
    progressKey: key,
    attempts,
    nextAttemptAt: new Date(Date.now() + ((next.now ?? attempts === 0) ? 0 : backoff(attempts))),
    lastError: error,
    ...next.fields,
  });
}
