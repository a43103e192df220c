// Keeps each queued backtest's progress message at its place in the queue: when the queue moves (a
// run started, was queued ahead by round-robin, or was cancelled), every message whose place changed
// is edited, once, whichever process saw the move first (the stored `shownPosition` settles it). A
// message starts being kept once its queued reply showed a position (the handler records it), so the
// reply and this never race to post the first message. Edits go through the notifier, which paces
// them (at most one every 2 s per message) and keeps only the newest; looks themselves are at least
// that far apart, so a queue that moves every half second costs one edit per message every 2 s, not
// one per move (each edit is a few database writes, and a long queue has many messages).
//
// A chat gets at most EDITS_PER_CHAT of these edits per look: those whose shown place is furthest off,
// relative to the true one (2 -> 1 before 18 -> 17, and 20 shown at 10 as far off as 2 at 1). A trader who queued many runs in one chat would otherwise see
// every message edited at each look, past what the platforms allow a chat (Telegram about one message a
// second), and the results behind them held up by the platform's waits; places further back catch up
// over the next looks.
//
// Only a process that hosts a message's chat keeps it: its edits go straight to the chat. A worker
// hosting no chat looks at nothing (its edits would go through the outbox, several writes each, and
// most of the database's work during a long queue was that). Moves made in other processes (a worker
// starting a run) are seen by looking again every gap while a kept message still waits.
import type { Logger } from 'pino';
import { queuedMessage } from '../src/core/backtest-messages.ts';
import { EDIT_EVERY_MS } from '../src/core/progress-pace.ts';
import type { ChatAddress } from '../src/core/types.ts';
import type { Notifier } from '../src/notifier.ts';
import type { Models } from '../src/storage/models.ts';

export type QueuePositions = {
  /** Looks at the queue again soon; calls while a look is under way are folded into one more. */
  refresh(): void;
  /** Resolves when no look is under way or due (tests): looks waiting for their gap run now. */
  idle(): Promise<void>;
  /** Shutdown: no look starts any more; resolves when the one under way ends. */
  stop(): Promise<void>;
};

/** The most waiting messages of one chat edited per look (one look every 2 s at most). */
const EDITS_PER_CHAT = 2;

/** The messages whose place moved, at most EDITS_PER_CHAT a chat: the furthest off, relative to their place. */
function mostOffPerChat<
  T extends { _id: { toString(): string }; shownPosition?: number | null; replyTo: ChatAddress },
>(shown: T[], place: Map<string, number>): (T & { shownPosition: number; position: number })[] {
  const chats = new Map<string, (T & { shownPosition: number; position: number; off: number })[]>();
  for (const doc of shown) {
    const position = place.get(doc._id.toString());
    const was = doc.shownPosition ?? 0;
    if (position === undefined || position === was || was < 1) continue;
    const chat = `${doc.replyTo.platform}:${doc.replyTo.conversationId}`;
    const moved = { ...doc, shownPosition: was, position, off: Math.abs(was - position) / position };
    chats.set(chat, [...(chats.get(chat) ?? []), moved]);
  }
  return [...chats.values()].flatMap((moved) =>
    moved.sort((a, b) => b.off - a.off || a.position - b.position).slice(0, EDITS_PER_CHAT),
  );
}

export function createQueuePositions(deps: {
  /** Backtest ids in the order they will start. */
  order: () => Promise<string[]>;
  models: Pick<Models, 'Backtest'>;
  notifier: Pick<Notifier, 'notify' | 'hosted'>;
  logger: Logger;
  /** The least time between the starts of two looks. */
  gapMs?: number;
}): QueuePositions {
  const { Backtest } = deps.models;
  const gapMs = deps.gapMs ?? EDIT_EVERY_MS;
  let running: Promise<void> | null = null;
  let again = false;
  let lastLook = Number.NEGATIVE_INFINITY;
  let cutGap: (() => void) | null = null;
  // Set by idle() until the loop ends: the looks still due run without their gap.
  let hurry = false;
  let stopped = false;
  let waiting = false;
  /** The next look while a kept message waits (moves in other processes call no refresh here). */
  let follow: NodeJS.Timeout | null = null;

  /** Waits out the rest of the gap since the last look, unless idle() asks for it now. */
  function gap(): Promise<void> {
    const wait = lastLook + gapMs - Date.now();
    if (wait <= 0 || hurry || stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      cutGap = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      cutGap = null;
    });
  }

  /** Edits the kept messages whose place changed; true while one of them still waits. */
  async function look(): Promise<boolean> {
    const hosted = deps.notifier.hosted();
    if (hosted.length === 0) return false;
    const ids = await deps.order();
    if (ids.length === 0) return false;
    const place = new Map(ids.map((id, i) => [id, i + 1]));
    const shown = await Backtest.find(
      {
        _id: { $in: ids },
        status: 'queued',
        shownPosition: { $gte: 1 },
        'replyTo.platform': { $in: hosted },
      },
      { shownPosition: 1, replyTo: 1 },
    ).lean();
    for (const { _id, shownPosition, position } of mostOffPerChat(shown, place)) {
      // Conditional on the figure read: of two processes seeing the same move, one edits.
      const bt = await Backtest.findOneAndUpdate(
        { _id, status: 'queued', shownPosition },
        { $set: { shownPosition: position } },
        { returnDocument: 'after' },
      ).lean();
      if (!bt) continue;
      deps.notifier.notify(bt.replyTo, queuedMessage(bt, position)).catch((err: unknown) => {
        deps.logger.warn({ err, backtestId: _id.toString() }, 'queue position not shown');
      });
    }
    return shown.length > 0;
  }

  async function loop(): Promise<void> {
    let keep = false;
    do {
      again = false;
      // A move while waiting is seen by the look that follows: only one during the look asks again.
      waiting = true;
      await gap();
      waiting = false;
      if (stopped) break;
      lastLook = Date.now();
      keep = await look().catch((err: unknown) => {
        deps.logger.warn({ err }, 'queue positions not updated');
        return true;
      });
    } while (again);
    running = null;
    hurry = false;
    if (keep && !stopped && !follow) {
      follow = setTimeout(() => {
        follow = null;
        api.refresh();
      }, gapMs);
      follow.unref();
    }
  }

  const api: QueuePositions = {
    refresh() {
      if (stopped) return;
      if (running) {
        if (!waiting) again = true;
        return;
      }
      running = loop();
    },
    idle() {
      if (running) hurry = true;
      cutGap?.();
      return running ?? Promise.resolve();
    },
    stop() {
      stopped = true;
      if (follow) clearTimeout(follow);
      follow = null;
      cutGap?.();
      return running ?? Promise.resolve();
    },
  };
  return api;
}
