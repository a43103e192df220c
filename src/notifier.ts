// Delivers messages that don't answer an incoming event (job progress and results) to the chat that
// asked. Adapters register a sink for their platform; jobs only know the ChatAddress. A message that
// can't be delivered now (platform down, or its adapter runs in another process) waits in the outbox
// until a process hosting that platform delivers it, so an outage loses no result.
import type { Logger } from 'pino';
import { backoff, ProgressStateSchema, parkMessage, revive } from './core/outbox-message.ts';
import { createPaceQueue, type PaceQueue, paceWait } from './core/progress-pace.ts';
import { createProgressThrottle } from './core/progress-throttle.ts';
import { type ChatAddress, type OutgoingMessage, PROGRESS_RANK } from './core/types.ts';
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
import { isStorageUnavailable } from './storage/unavailable.ts';

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
  /** The platforms whose chats this process posts to itself (registered here). */
  hosted(): string[];
  /** Calls `listener` after each platform registers here (queue positions start being kept then). */
  onRegister?(listener: () => void): void;
  /** True when delivered now; false when it waits in the outbox or the platform refused it for good. */
  notify(address: ChatAddress, message: OutgoingMessage): Promise<boolean>;
  /** Delivers due outbox messages for the platforms registered here; returns how many were sent. */
  drainOutbox(): Promise<number>;
  /** Drains the outbox every `everyMs` until the returned function is called. */
  startOutbox(everyMs: number): () => void;
};

const RANK = PROGRESS_RANK;
type Entry = ReturnType<PaceQueue['enter']>;
// Longer than any client's own retrying (Slack's five retries in five minutes, grammY's 429 waits),
// so a second process never claims a message that is still being sent.
const CLAIM_MS = 10 * 60_000;
const DRAIN_BATCH = 100;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createNotifier(deps: { logger: Logger; models: Models }): Notifier {
  const sinks = new Map<string, ChatSink>();
  const registered: (() => void)[] = [];
  const { Outbox, Delivery } = deps.models;

  // Deliveries of one backtest's progress run one after another, so "running" waits until the
  // "queued" message exists and edits it instead of posting a second message.
  const chains = new Map<string, Promise<void>>();
  const pace = createPaceQueue();
  const perChat = new Map<string, Promise<boolean>>();
  const perKey = new Map<string, Promise<boolean>>();

  const delivery = (key: string, platform: string) => Delivery.findOne({ progressKey: key, platform }).lean();

  /**
   * Sends a message, from the part `stood` says is next; a progress state waits for its pace and is
   * left out when a newer one replaced it.
   */
  async function sendNow(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    stood: PartProgress,
    paced?: { chainKey: string; entry: Entry; wanted?: () => Promise<boolean> },
  ): Promise<void> {
    const progress = message.progress;
    const resume = resumeAt(stood);
    if (!progress) {
      await sink.deliver(address, message, resume ? { resume } : {});
      return;
    }
    let previous = await delivery(progress.key, address.platform);
    const wait = progress.paced ? paceWait(previous, progress.state, Date.now()) : 0;
    if (wait > 0) {
      await (paced ? pace.wait(paced.chainKey, paced.entry, wait) : new Promise((r) => setTimeout(r, wait)));
      previous = await delivery(progress.key, address.platform);
    }
    if (paced && pace.superseded(paced.chainKey, paced.entry)) return;
    if (paced?.wanted && !(await paced.wanted())) return;
    if (previous) {
      const shown = ProgressStateSchema.safeParse(previous.state);
      if (shown.success && RANK[shown.data] > RANK[progress.state]) return;
    }
    const { ref, edited } = await deliverOrPostAnew(sink, address, message, previous?.messageId, resume);
    // Resumed, the sink sent no first part this time: the id is the one an earlier try got.
    const messageId = (resume?.from ? stood.firstMessageId : null) ?? ref.messageId;
    await Delivery.updateOne(
      { progressKey: progress.key, platform: address.platform },
      {
        $set: {
          messageId,
          state: progress.state,
          userId: address.userId,
          writtenAt: new Date(),
          edits: edited ? (previous?.edits ?? 0) + 1 : 0,
        },
      },
      { upsert: true },
    );
  }

  async function deliverOrPostAnew(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    replaceId: string | undefined,
    resume: DeliveryResume | undefined,
  ): Promise<{ ref: DeliveryRef; edited: boolean }> {
    const from = resume ? { resume } : {};
    if (replaceId === undefined) return { ref: await sink.deliver(address, message, from), edited: false };
    try {
      const ref = await sink.deliver(address, message, { replace: { messageId: replaceId }, ...from });
      return { ref, edited: true };
    } catch (err) {
      if (!(err instanceof MessageGoneError)) throw err;
      deps.logger.info({ messageId: replaceId, why: err.message }, 'progress message gone; posting anew');
      return { ref: await sink.deliver(address, message), edited: false };
    }
  }

  /** `entry`: the message's place among its key's states, taken when it was handed over (notify). */
  async function send(
    sink: ChatSink,
    address: ChatAddress,
    message: OutgoingMessage,
    opts: { stood?: PartProgress; wanted?: () => Promise<boolean>; entry?: Entry } = {},
  ): Promise<void> {
    const stood = opts.stood ?? NOTHING_SENT;
    const progress = message.progress;
    if (!progress) return sendNow(sink, address, message, stood);
    const chainKey = `${address.platform}:${progress.key}`;
    const entry = opts.entry ?? pace.enter(chainKey, progress.state);
    const { wanted } = opts;
    const next = (chains.get(chainKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => sendNow(sink, address, message, stood, { chainKey, entry, ...(wanted ? { wanted } : {}) }));
    chains.set(chainKey, next);
    try {
      await next;
    } finally {
      if (!opts.entry) pace.leave(chainKey, entry);
      if (chains.get(chainKey) === next) chains.delete(chainKey);
    }
  }

  const park = (
    address: ChatAddress,
    message: OutgoingMessage,
    error: string | null,
    attempts: number,
    next: { progress: PartProgress; now: boolean } = { progress: NOTHING_SENT, now: true },
  ) => parkMessage(Outbox, address, message, error, attempts, { fields: next.progress, now: next.now });

  async function notifyNow(address: ChatAddress, message: OutgoingMessage, entry?: Entry): Promise<boolean> {
    const sink = sinks.get(address.platform);
    if (!sink) {
      await park(address, message, 'platform not hosted by this process', 0);
      return false;
    }
    // Keep order: while older messages for this chat wait in the outbox, this one waits behind them.
    // With the database unreachable nothing can be waiting there: the answer (often the sentence
    // saying storage is unavailable) goes straight to the chat rather than nowhere.
    const queuedBefore = await Outbox.exists({
      platform: address.platform,
      'address.conversationId': address.conversationId,
    }).catch((err: unknown) => {
      if (!isStorageUnavailable(err)) throw err;
      deps.logger.warn({ err, platform: address.platform }, 'outbox unreachable; sending directly');
      return null;
    });
    if (queuedBefore) {
      await park(address, message, null, 0);
      return false;
    }
    try {
      await send(sink, address, message, entry ? { entry } : {});
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
      // Said once it is done: a reader of the log (or a test) then finds the message gone.
      await Outbox.deleteOne({ _id: claimed._id });
      deps.logger.error({ err, why: next.why }, 'giving up on an outbox message; the result stays in /show');
      return;
    }
    const attempts = claimed.attempts + 1;
    const nextAttemptAt = new Date(Date.now() + (next.now ? 0 : backoff(attempts)));
    await Outbox.updateOne(
      { _id: claimed._id },
      { $set: { attempts, lockedUntil: null, nextAttemptAt, lastError: errorText(err), ...next.progress } },
    );
  }

  /** One chat's messages go out one after another: a later one can't overtake an earlier one. */
  function inChatOrder(address: ChatAddress, message: OutgoingMessage, entry?: Entry): Promise<boolean> {
    const key = `${address.platform}:${address.conversationId}`;
    const next = (perChat.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => notifyNow(address, message, entry));
    perChat.set(key, next);
    void next
      .finally(() => {
        if (perChat.get(key) === next) perChat.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  /** A paced progress state: the pace queue, then the chat's order or straight to its message. */
  function notifyPaced(address: ChatAddress, message: OutgoingMessage): Promise<boolean> {
    const progress = message.progress;
    if (!progress) return inChatOrder(address, message);
    // A paced message's states go on in the order given, and each takes its place in the pace queue
    // now, so one waiting for its turn knows when a newer one came. An edit of a message already
    // posted has no place among the chat's messages: its wait never holds up the chat's others.
    const chainKey = `${address.platform}:${progress.key}`;
    const entry = pace.enter(chainKey, progress.state);
    const next = (perKey.get(chainKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        // Hosted elsewhere, every state is parked in the chat's order (whether it was posted is not ours to know).
        const posted =
          sinks.has(address.platform) &&
          (await Delivery.exists({ progressKey: progress.key, platform: address.platform }));
        return posted ? notifyNow(address, message, entry) : inChatOrder(address, message, entry);
      });
    perKey.set(chainKey, next);
    void next
      .finally(() => {
        pace.leave(chainKey, entry);
        if (perKey.get(chainKey) === next) perKey.delete(chainKey);
      })
      .catch(() => undefined);
    return next;
  }
  // States for a platform hosted elsewhere go through the outbox: thinned first (progress-throttle.ts).
  const relayed = createProgressThrottle(notifyPaced);

  const notifier: Notifier = {
    register(platform, sink) {
      sinks.set(platform, sink);
      for (const listener of registered) listener();
    },
    hosted: () => [...sinks.keys()],
    onRegister(listener) {
      registered.push(listener);
    },
    notify(address, message) {
      if (!message.progress?.paced) return inChatOrder(address, message);
      return sinks.has(address.platform) ? notifyPaced(address, message) : relayed(address, message);
    },
    async drainOutbox() {
      let sent = 0;
      for (const [platform, sink] of sinks) {
        const waiting = await Outbox.find({ platform }).sort({ createdAt: 1 }).limit(DRAIN_BATCH).lean();
        // Chats go at once, each in its own order: one chat's message waiting for its pace holds up
        // only that chat. A chat whose oldest message can't go now (backing off, claimed elsewhere,
        // failed just now) holds its later messages back.
        const chats = new Map<string, typeof waiting>();
        for (const item of waiting) {
          const chat = item.address.conversationId;
          chats.set(chat, [...(chats.get(chat) ?? []), item]);
        }
        // A newer state of the same progress message parked meanwhile replaces this one (see park).
        const wanted = (id: unknown) => async () => (await Outbox.exists({ _id: id })) !== null;
        const deliverClaimed = async (claimed: (typeof waiting)[number]): Promise<boolean> => {
          const stood = storedProgress(claimed);
          try {
            await send(sink, claimed.address, revive(claimed.message), {
              stood,
              wanted: wanted(claimed._id),
            });
            await Outbox.deleteOne({ _id: claimed._id });
            sent++;
            return true;
          } catch (err) {
            const next = afterFailure(err, stood, claimed.attempts + 1);
            await settle(claimed, err, next);
            return next.kind !== 'retry'; // a retry keeps this chat's order; try again later
          }
        };
        const drainChat = async (items: typeof waiting) => {
          for (const item of items) {
            const now = new Date();
            if (item.nextAttemptAt > now) return;
            const claimed = await Outbox.findOneAndUpdate(
              { _id: item._id, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
              { $set: { lockedUntil: new Date(now.getTime() + CLAIM_MS) } },
              { returnDocument: 'after' },
            ).lean();
            if (!claimed) return;
            if (!(await deliverClaimed(claimed))) return;
          }
        };
        await Promise.all([...chats.values()].map(drainChat));
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
