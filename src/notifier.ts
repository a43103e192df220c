// Delivers messages that don't answer an incoming event (job progress and results) to the chat that
// asked. Adapters register a sink for their platform; jobs only know the ChatAddress. A message that
// can't be delivered now (platform down, or its adapter runs in another process) waits in the outbox
// until a process hosting that platform delivers it, so an outage loses no result.
import { Binary } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ChatAddress, OutgoingMessage, ProgressState } from './core/types.ts';
import { MessageGoneError, UndeliverableError } from './delivery-errors.ts';
import {
  type AfterFailure,
  afterFailure,
  type DeliveryResume,
  NOTHING_SENT,
  type PartProgress,
  resumeAt,
  storedProgress,
} from './outbox-retry.ts';
import type { Models } from './storage/models.ts';

/** A sent platform message, so a later progress state can edit it in place. */
export type DeliveryRef = { messageId: string };

/**
 * A platform's way to send. Throw {@link UndeliverableError} when the platform will never take the
 * message, {@link MessageGoneError} when the message to replace is gone; anything else is retried. A
 * sink that sends a message in parts throws PartialDeliveryError when a part after the first fails,
 * and takes `resume` on the next try: it starts at that part, and never sends the earlier ones again.
 */
export type ChatSink = {
  deliver(
    address: ChatAddress,
    message: OutgoingMessage,
    opts?: { replace?: DeliveryRef; resume?: DeliveryResume },
  ): Promise<DeliveryRef>;
};

export type Notifier = {
  register(platform: string, sink: ChatSink): void;
  /** True when delivered now; false when it waits in the outbox or the platform refused it for good. */
  notify(address: ChatAddress, message: OutgoingMessage): Promise<boolean>;
  /** Delivers due outbox messages for the platforms registered here; returns how many were sent. */
  drainOutbox(): Promise<number>;
  /** Drains the outbox every `everyMs` until the returned function is called. */
  startOutbox(everyMs: number): () => void;
};

const RANK: Record<ProgressState, number> = { queued: 0, running: 1, succeeded: 2, failed: 2 };
const StateSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
const StoredProgressSchema = z.object({ progress: z.object({ state: StateSchema }) });
const MAX_BACKOFF_MS = 5 * 60_000;
// Longer than any client's own retrying (Slack's five retries in five minutes, grammY's 429 waits),
// so a second process never claims a message that is still being sent.
const CLAIM_MS = 10 * 60_000;
const DRAIN_BATCH = 100;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 12));
}

/** BSON hands stored bytes back as Binary; sinks need the Uint8Array the job put in (charts, files). */
function bytes(data: unknown): Uint8Array {
  if (data instanceof Binary) return data.buffer;
  return data instanceof Uint8Array ? data : new Uint8Array();
}

/** A message as it was before the outbox stored it. */
function revive(m: OutgoingMessage): OutgoingMessage {
  const out = { ...m };
  if (m.card?.image) out.card = { ...m.card, image: { ...m.card.image, data: bytes(m.card.image.data) } };
  if (m.attachments) out.attachments = m.attachments.map((a) => ({ ...a, data: bytes(a.data) }));
  return out;
}

export function createNotifier(deps: { logger: Logger; models: Models }): Notifier {
  const sinks = new Map<string, ChatSink>();
  const { Outbox, Delivery } = deps.models;

  // Deliveries of one backtest's progress run one after another, so "running" waits until the
  // "queued" message exists and edits it instead of posting a second message.
  const chains = new Map<string, Promise<void>>();
  const perChat = new Map<string, Promise<boolean>>();

  async function sendNow(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    stood: PartProgress,
  ): Promise<void> {
    const progress = message.progress;
    const previous = progress
      ? await Delivery.findOne({ progressKey: progress.key, platform: address.platform }).lean()
      : null;
    if (progress && previous) {
      const shown = StateSchema.safeParse(previous.state);
      if (shown.success && RANK[shown.data] > RANK[progress.state]) return;
    }
    const resume = resumeAt(stood);
    const ref = await deliverOrPostAnew(sink, address, message, previous?.messageId, resume);
    // Resumed, the sink sent no first part this time: the id is the one an earlier try got.
    const messageId = (resume?.from ? stood.firstMessageId : null) ?? ref.messageId;
    if (progress) {
      await Delivery.updateOne(
        { progressKey: progress.key, platform: address.platform },
        { $set: { messageId, state: progress.state, userId: address.userId } },
        { upsert: true },
      );
    }
  }

  async function deliverOrPostAnew(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    replaceId: string | undefined,
    resume: DeliveryResume | undefined,
  ): Promise<DeliveryRef> {
    const from = resume ? { resume } : {};
    if (replaceId === undefined) return sink.deliver(address, message, from);
    try {
      return await sink.deliver(address, message, { replace: { messageId: replaceId }, ...from });
    } catch (err) {
      if (!(err instanceof MessageGoneError)) throw err;
      deps.logger.info({ messageId: replaceId, why: err.message }, 'progress message gone; posting anew');
      return sink.deliver(address, message);
    }
  }

  async function send(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    stood: PartProgress = NOTHING_SENT,
  ): Promise<void> {
    const key = message.progress?.key;
    if (!key) return sendNow(sink, address, message, stood);
    const chainKey = `${address.platform}:${key}`;
    const next = (chains.get(chainKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => sendNow(sink, address, message, stood));
    chains.set(chainKey, next);
    try {
      await next;
    } finally {
      if (chains.get(chainKey) === next) chains.delete(chainKey);
    }
  }

  async function park(
    address: ChatAddress,
    message: OutgoingMessage,
    error: string | null,
    attempts: number,
    next: { progress: PartProgress; now: boolean } = { progress: NOTHING_SENT, now: true },
  ) {
    const key = message.progress?.key ?? null;
    if (key && message.progress) {
      // Only the newest state of a backtest is worth sending later.
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
      nextAttemptAt: new Date(Date.now() + (next.now ? 0 : backoff(attempts))),
      lastError: error,
      ...next.progress,
    });
  }

  async function notifyNow(address: ChatAddress, message: OutgoingMessage): Promise<boolean> {
    const sink = sinks.get(address.platform);
    // Keep order: while older messages for this chat wait in the outbox, this one waits behind them.
    const queuedBefore = await Outbox.exists({
      platform: address.platform,
      'address.conversationId': address.conversationId,
    });
    if (!sink || queuedBefore) {
      await park(address, message, sink ? null : 'platform not hosted by this process', 0);
      return false;
    }
    try {
      await send(sink, address, message);
      return true;
    } catch (err) {
      const next = afterFailure(err, NOTHING_SENT, 1);
      if (next.kind === 'drop') {
        deps.logger.warn({ err, platform: address.platform, why: next.why }, 'undeliverable message dropped');
        return false;
      }
      deps.logger.warn({ err, platform: address.platform }, 'delivery failed; kept in the outbox');
      await park(address, message, errorText(err), 1, next);
      return false;
    }
  }

  /** Records a failed outbox try: dropped, or kept with where it stands and when to try next. */
  async function settle(claimed: { _id: unknown; attempts: number }, err: unknown, next: AfterFailure) {
    if (next.kind === 'drop') {
      deps.logger.error({ err, why: next.why }, 'giving up on an outbox message; the result stays in /show');
      await Outbox.deleteOne({ _id: claimed._id });
      return;
    }
    const attempts = claimed.attempts + 1;
    const nextAttemptAt = new Date(Date.now() + (next.now ? 0 : backoff(attempts)));
    await Outbox.updateOne(
      { _id: claimed._id },
      { $set: { attempts, lockedUntil: null, nextAttemptAt, lastError: errorText(err), ...next.progress } },
    );
  }

  const notifier: Notifier = {
    register(platform, sink) {
      sinks.set(platform, sink);
    },
    notify(address, message) {
      // One chat's messages go out one after another, so a later one can't overtake an earlier one
      // between the outbox check and the send.
      const key = `${address.platform}:${address.conversationId}`;
      const next = (perChat.get(key) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => notifyNow(address, message));
      perChat.set(key, next);
      void next.finally(() => {
        if (perChat.get(key) === next) perChat.delete(key);
      });
      return next;
    },
    async drainOutbox() {
      let sent = 0;
      for (const [platform, sink] of sinks) {
        const waiting = await Outbox.find({ platform }).sort({ createdAt: 1 }).limit(DRAIN_BATCH).lean();
        // A chat whose oldest message can't go now (backing off, claimed elsewhere, failed just now)
        // holds its later messages back; other chats carry on.
        const held = new Set<string>();
        for (const item of waiting) {
          const chat = item.address.conversationId;
          if (held.has(chat)) continue;
          const now = new Date();
          if (item.nextAttemptAt > now) {
            held.add(chat);
            continue;
          }
          const claimed = await Outbox.findOneAndUpdate(
            { _id: item._id, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
            { $set: { lockedUntil: new Date(now.getTime() + CLAIM_MS) } },
            { returnDocument: 'after' },
          ).lean();
          if (!claimed) {
            held.add(chat);
            continue;
          }
          const stood = storedProgress(claimed);
          try {
            await send(sink, claimed.address, revive(claimed.message), stood);
            await Outbox.deleteOne({ _id: claimed._id });
            sent++;
          } catch (err) {
            const next = afterFailure(err, stood, claimed.attempts + 1);
            await settle(claimed, err, next);
            if (next.kind === 'retry') held.add(chat); // keep this chat's order; try again later
          }
        }
      }
      return sent;
    },
    startOutbox(everyMs) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const tick = async () => {
        if (stopped) return;
        await notifier
          .drainOutbox()
          .catch((err: unknown) => deps.logger.error({ err }, 'outbox drain failed'));
        if (!stopped) timer = setTimeout(tick, everyMs);
      };
      timer = setTimeout(tick, everyMs);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
  return notifier;
}
