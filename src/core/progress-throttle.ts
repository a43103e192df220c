// Progress states relayed through the outbox (a worker process hosts no chat platform, so each state
// it reports is a stored message the bot then delivers) are thinned where they are made: the first
// state goes at once, those within the next 2 s are held and only the newest of them goes when the 2 s
// are up, and a final state goes at once, dropping a held one. The bot's pace would show no more than
// that anyway (one edit per message every 2 s, the newest state); holding them here saves the database
// the writes and reads of states nobody would see. A held state lost with its process is no loss: the
// next state, or the final one, replaces it.
import { EDIT_EVERY_MS } from './progress-pace.ts';
import { type ChatAddress, isFinalState, type OutgoingMessage } from './types.ts';

type Send = (address: ChatAddress, message: OutgoingMessage) => Promise<boolean>;
type Held = { address: ChatAddress; message: OutgoingMessage; settle: (sent: boolean) => void };
type Key = { lastSent: number; held?: Held; timer?: NodeJS.Timeout };

/** Keys of progress messages that ended without a final state are forgotten after this long. */
const FORGET_MS = 10 * 60_000;

export function createProgressThrottle(send: Send, windowMs = EDIT_EVERY_MS) {
  const keys = new Map<string, Key>();

  function forgetStale(now: number) {
    if (keys.size < 1000) return;
    for (const [k, v] of keys) if (!v.held && now - v.lastSent > FORGET_MS) keys.delete(k);
  }

  function flush(k: string) {
    const entry = keys.get(k);
    if (!entry?.held) return;
    const { held } = entry;
    entry.held = undefined;
    entry.timer = undefined;
    entry.lastSent = Date.now();
    send(held.address, held.message).then(held.settle, () => held.settle(false));
  }

  /** Resolves as `send` does for a state sent, false for one held and then replaced. */
  return function throttled(address: ChatAddress, message: OutgoingMessage): Promise<boolean> {
    const progress = message.progress;
    if (!progress) return send(address, message);
    const k = `${address.platform}:${progress.key}`;
    const entry = keys.get(k);
    const now = Date.now();
    if (isFinalState(progress.state)) {
      if (entry?.timer) clearTimeout(entry.timer);
      entry?.held?.settle(false);
      keys.delete(k);
      return send(address, message);
    }
    if (!entry || (!entry.held && now - entry.lastSent >= windowMs)) {
      forgetStale(now);
      keys.set(k, { lastSent: now });
      return send(address, message);
    }
    entry.held?.settle(false);
    return new Promise<boolean>((settle) => {
      entry.held = { address, message, settle };
      if (!entry.timer) {
        entry.timer = setTimeout(() => flush(k), Math.max(0, entry.lastSent + windowMs - now));
        entry.timer.unref?.();
      }
    });
  };
}
