// How updates reach the bot: queued for getUpdates (long polling, confirmed by the next offset) or
// POSTed to the registered webhook with its secret header. A push resolves once the bot has taken the
// update: the bot confirmed it by polling past it, or answered the webhook POST.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Registry } from './methods.ts';
import { ApiError, int, type Json } from './wire.ts';

export function createUpdates(reg: Registry) {
  const queue: Json[] = [];
  const waiters: { id: number; resolve: () => void }[] = [];
  let nextUpdate = 1;
  let confirmed = 0;
  let poll: ((updates: Json[]) => void) | undefined;
  let last: Json | undefined;

  function confirm(offset: number) {
    confirmed = Math.max(confirmed, offset - 1);
    while (queue[0] && Number(queue[0].update_id) <= confirmed) queue.shift();
    for (const w of waiters.filter((x) => x.id <= confirmed)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  async function postToWebhook(update: Json, secret: string | undefined): Promise<number> {
    if (!reg.hook) throw new Error('no webhook registered');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const res = await fetch(reg.hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
    await res.arrayBuffer();
    return res.status;
  }

  return {
    postToWebhook,
    /** The update pushed last, as sent (with its update_id). */
    last: () => last,
    /** A fresh update id; button presses use it to make callback query ids. */
    peekId: () => nextUpdate,
    getUpdates(p: Json, res: ServerResponse, reply: (r: unknown) => void) {
      if (reg.hook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active");
      const q = z.object({ offset: int.optional(), limit: int.optional(), timeout: int.optional() }).parse(p);
      if (q.offset) confirm(q.offset);
      if (queue.length > 0 || !q.timeout) return reply(queue.slice(0, q.limit ?? 100));
      poll?.([]); // a newer long poll takes over, as Telegram's "terminated by other getUpdates request"
      const timer = setTimeout(() => deliver([]), q.timeout * 1000);
      const deliver = (updates: Json[]) => {
        clearTimeout(timer);
        if (poll === deliver) poll = undefined;
        if (!res.writableEnded) reply(updates);
      };
      poll = deliver;
      res.on('close', () => deliver([]));
    },
    async push(body: Json): Promise<void> {
      const update = { update_id: nextUpdate++, ...body };
      last = update;
      if (reg.hook) {
        const status = await postToWebhook(update, reg.hook.secret);
        if (status !== 200) throw new Error(`webhook answered ${status}`);
        return;
      }
      queue.push(update);
      poll?.(queue.slice());
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`update ${update.update_id} was never confirmed`)),
          60_000,
        );
        waiters.push({ id: update.update_id, resolve: () => resolve(clearTimeout(timer)) });
      });
    },
    /** Ends a pending long poll, as when the server goes away. */
    end: () => poll?.([]),
  };
}
