// The chat platforms' webhooks on the app's one HTTP server (Telegram's updates, Slack's events,
// commands and interactions). Routes are made before the server listens, from the paths config
// names; the platform's adapter mounts its handler when it starts. Bodies reach the handler as the
// exact text sent, because the platforms sign it (Slack) or the adapter's framework parses it.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { WebhookMount, WebhookRequest, WebhookResponse } from '../core/ports.ts';

type Handler = (req: WebhookRequest) => Promise<WebhookResponse>;

export function registerPlatformWebhooks(
  app: FastifyInstance,
  paths: Record<string, string>,
  logger: Logger,
): WebhookMount {
  const handlers = new Map<string, Handler>();
  void app.register(async (scope) => {
    const asText = (_req: unknown, body: string, done: (err: null, body: string) => void) => done(null, body);
    scope.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'string' },
      asText,
    );
    for (const [platform, path] of Object.entries(paths)) {
      scope.post(path, async (req, reply) => {
        const handle = handlers.get(platform);
        if (!handle) return reply.status(503).send({ error: `${platform} is not running yet.` });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        try {
          const res = await handle({ headers, body: typeof req.body === 'string' ? req.body : '' });
          return reply
            .status(res.status)
            .headers(res.headers ?? {})
            .send(res.body ?? '');
        } catch (err) {
          logger.error({ err, platform }, 'platform webhook failed');
          return reply.status(500).send({ error: 'Something went wrong on our side.' });
        }
      });
    }
  });
  return {
    pathOf: (platform) => paths[platform],
    mount: (platform, handle) => void handlers.set(platform, handle),
    unmount: (platform) => void handlers.delete(platform),
  };
}
