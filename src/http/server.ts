// The app's one HTTP server (fastify): the health check, the link page and the webhooks hang off it.
// Every response carries the security headers; bodies are small and slow clients are cut off, so a
// page and two webhooks can't be used to tie the process up.
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export type HttpServerOptions = {
  port: number;
  host: string;
  /** Largest request body accepted, in bytes (the webhooks' JSON, the link form). */
  bodyLimit?: number;
  /** Time allowed for a whole request, in ms. */
  requestTimeoutMs?: number;
  /**
   * Proxies (IPs, CIDR ranges, loopback/linklocal/uniquelocal; see src/trusted-proxies.ts) whose
   * X-Forwarded-For is believed: the client is the right-most address not in the list. Never `true`.
   */
  trustProxy?: readonly string[];
};

export type HttpServer = {
  /** Routes are added before `start`. */
  app: FastifyInstance;
  /** Listens; resolves with the port actually bound (0 asks for a free one). */
  start(): Promise<number>;
  stop(): Promise<void>;
};

/** The headers every answer carries; a page that loads scripts widens the CSP for itself. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cache-control': 'no-store',
};

export function createHttpServer(
  opts: HttpServerOptions,
  deps: { logger: Logger; healthy?: () => Promise<boolean> },
): HttpServer {
  const log = deps.logger.child({ component: 'http' });
  const requestTimeout = opts.requestTimeoutMs ?? 15_000;
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    requestTimeout,
    connectionTimeout: requestTimeout + 5_000,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    trustProxy: opts.trustProxy && opts.trustProxy.length > 0 ? [...opts.trustProxy] : false,
    // Node checks request deadlines every 30 s by default: a slow client would hold on that long.
    serverFactory: (handler) =>
      http.createServer(
        { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: 250 },
        handler,
      ),
  });

  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.addHook('onResponse', async (req, reply) => {
    log.info(
      { method: req.method, url: req.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      'http',
    );
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) log.error({ err }, 'http handler failed');
    const error =
      status === 413
        ? 'That request is too large.'
        : status < 500
          ? 'That request could not be read.'
          : 'Something went wrong on our side. Please try again.';
    return reply.status(status).send({ error });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: 'Not found.' }));

  // Browsers ask for it on every page; an empty answer keeps a 404 out of their consoles.
  app.get('/favicon.ico', async (_req, reply) => reply.status(204).send());

  app.get('/healthz', async (_req, reply) => {
    const ok = deps.healthy ? await deps.healthy().catch(() => false) : true;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });

  return {
    app,
    async start() {
      await app.listen({ port: opts.port, host: opts.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      log.info({ port, host: opts.host }, 'http server listening');
      return port;
    },
    async stop() {
      await app.close();
    },
  };
}
