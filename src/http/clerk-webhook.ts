// POST /webhooks/clerk: Clerk's user events, signed the svix way. The signature is checked over the
// raw body (@clerk/backend's verifyWebhook; a stale timestamp fails it too) before anything is read;
// a delivery already acted on (same svix-id) is acknowledged and changes nothing again.
import { verifyWebhook } from '@clerk/backend/webhooks';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AccountSync } from '../services/account-sync.ts';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';

export type ClerkWebhookDeps = { secret: string; sync: AccountSync; models: Models; logger: Logger };

const UserData = z.object({
  id: z.string().min(1),
  primary_email_address_id: z.string().nullish(),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })).default([]),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
});

const Event = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user.created'), data: UserData }),
  z.object({ type: z.literal('user.updated'), data: UserData }),
  z.object({ type: z.literal('user.deleted'), data: z.object({ id: z.string().min(1) }) }),
]);

function fields(d: z.infer<typeof UserData>) {
  const email =
    d.email_addresses.find((e) => e.id === d.primary_email_address_id)?.email_address ??
    d.email_addresses[0]?.email_address ??
    null;
  const name = [d.first_name, d.last_name].filter(Boolean).join(' ') || d.username || email || d.id;
  return { clerkUserId: d.id, email, displayName: name };
}

/**
 * How long an acted-on delivery id is kept: Svix retries a delivery for about a day and a half, each
 * time signed anew, so a week is well past any retry. Clerk's user events are few, so the old ids are
 * deleted on each delivery (no TTL indexes on FerretDB).
 */
export const WEBHOOK_EVENT_LIFETIME_MS = 7 * 24 * 60 * 60_000;

export function registerClerkWebhook(app: FastifyInstance, deps: ClerkWebhookDeps): void {
  const { WebhookEvent } = deps.models;
  const log = deps.logger.child({ component: 'clerk-webhook' });
  // Its own scope, so only this route keeps JSON bodies as the exact text that was signed.
  // Loaded when the server starts listening.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    scope.post('/webhooks/clerk', async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      let verified: { type: string; data: unknown };
      try {
        verified = await verifyWebhook(
          new Request('http://localhost/webhooks/clerk', { method: 'POST', headers, body: raw }),
          { signingSecret: deps.secret },
        );
      } catch (err) {
        log.warn({ why: err instanceof Error ? err.message : String(err) }, 'clerk webhook refused');
        return reply.status(400).send({ error: 'Signature missing, invalid or stale.' });
      }
      const eventId = headers.get('svix-id') ?? '';
      await WebhookEvent.deleteMany({ createdAt: { $lt: new Date(Date.now() - WEBHOOK_EVENT_LIFETIME_MS) } });
      if (await WebhookEvent.exists({ eventId })) {
        log.info({ eventId, type: verified.type }, 'clerk webhook replayed; nothing done');
        return { ok: true, replayed: true };
      }
      const event = Event.safeParse(verified);
      if (!event.success) {
        // Signed by Clerk but not an event we act on (or a shape we don't know): acknowledged, or Clerk retries.
        log.info({ eventId, type: verified.type }, 'clerk webhook ignored');
      } else if (event.data.type === 'user.deleted') {
        await deps.sync.remove(event.data.data.id);
      } else {
        await deps.sync.upsert(fields(event.data.data));
      }
      await WebhookEvent.create({ eventId, type: verified.type }).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
      return { ok: true };
    });
  });
}
