// Keeps each queued backtest's progress message at its place in the queue: when the queue moves (a
// run started, was queued ahead by round-robin, or was cancelled), every message whose place changed
// is edited, once, whichever process saw the move first (the stored `shownPosition` settles it). A
// message starts being kept once its queued reply showed a position (the handler records it), so the
// reply and this never race to post the first message. Edits go through the notifier, which paces
// them (at most one every 2 s per message) and keeps only the newest.
import type { Logger } from 'pino';
import { queuedMessage } from '../src/core/backtest-messages.ts';
import type { Notifier } from '../src/notifier.ts';
import type { Models } from '../src/storage/models.ts';

export type QueuePositions = {
  /** Looks at the queue again soon; calls while a look is under way are folded into one more. */
  refresh(): void;
  /** Resolves when no look is under way (tests, shutdown). */
  idle(): Promise<void>;
};

export function createQueuePositions(deps: {
  /** Backtest ids in the order they will start. */
  order: () => Promise<string[]>;
  models: Pick<Models, 'Backtest'>;
  notifier: Pick<Notifier, 'notify'>;
  logger: Logger;
}): QueuePositions {
  const { Backtest } = deps.models;
  let running: Promise<void> | null = null;
  let again = false;

  async function look(): Promise<void> {
    const ids = await deps.order();
    if (ids.length === 0) return;
    const place = new Map(ids.map((id, i) => [id, i + 1]));
    const shown = await Backtest.find(
      { _id: { $in: ids }, status: 'queued', shownPosition: { $gte: 1 } },
      { shownPosition: 1 },
    ).lean();
    for (const { _id, shownPosition } of shown) {
      const position = place.get(_id.toString());
      if (position === undefined || position === shownPosition) continue;
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
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      await look().catch((err: unknown) => deps.logger.warn({ err }, 'queue positions not updated'));
    } while (again);
    running = null;
  }

  return {
    refresh() {
      if (running) {
        again = true;
        return;
      }
      running = loop();
    },
    idle: () => running ?? Promise.resolve(),
  };
}
