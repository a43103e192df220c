// What the notifier's outbox needs of a stored message: the message as it was before BSON stored it,
// and how long a failed one waits before its next try.
import { Binary } from 'mongodb';
import type { OutgoingMessage } from './types.ts';

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
