// The link page's routes: the page and its script, a look at what a code links, and the confirming
// POST that verifies the Clerk session token and links. Every outcome is one sentence on the page; a
// link is also told in the chats (link-news.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isAppError } from '../errors.ts';
import type { Notifier } from '../notifier.ts';
import type { LinkCodes } from '../services/link-codes.ts';
import { createLinkNews } from '../services/link-news.ts';
import { linkSentence, platformName } from '../services/link-sentences.ts';
import type { SessionVerifier } from './clerk-session.ts';
import { LINK_PAGE_CSS, LINK_PAGE_SCRIPT, linkPageCsp, linkPageHtml } from './link-page.ts';

export type LinkRouteDeps = {
  codes: LinkCodes;
  verifier: SessionVerifier;
  notifier: Notifier;
  clerk: { publishableKey: string; scriptUrl: string };
  logger: Logger;
};

const CodeBody = z.object({ code: z.string().min(1).max(32) });
/** A code and a little JSON around it; anything larger is not from the page. */
const API_BODY_LIMIT = 1024;

/** Every answer of the API that is not a success: the page shows `sentence` as it is. */
type Refusal = { ok: false; sentence: string };
const refusal = (sentence: string): Refusal => ({ ok: false, sentence });

const BAD_REQUEST = refusal('That request could not be read. Reload the page and try again.');
const WRONG_TYPE = refusal('That request was not sent as JSON. Reload the page and try again.');
const TOO_LARGE = refusal('That request is too large. Reload the page and try again.');
const NOT_FOUND = refusal('There is nothing here. Reload the page and try again.');
const FAILED = refusal('Something went wrong on our side. Please try again in a moment.');

/** The status and sentence for an error fastify or a handler raised; nothing of the error is shown. */
function errorAnswer(status: number): Refusal {
  if (status === 413) return TOO_LARGE;
  if (status === 415) return WRONG_TYPE;
  if (status >= 400 && status < 500) return BAD_REQUEST;
  return FAILED;
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export function registerLinkRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const html = linkPageHtml({
    publishableKey: deps.clerk.publishableKey,
    clerkScriptUrl: deps.clerk.scriptUrl,
  });
  const csp = linkPageCsp(deps.clerk.scriptUrl);
  const news = createLinkNews({ notifier: deps.notifier, logger: deps.logger });

  app.get('/link', async (_req, reply) =>
    reply.header('content-security-policy', csp).type('text/html; charset=utf-8').send(html),
  );
  app.get('/link/page.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(LINK_PAGE_SCRIPT),
  );
  app.get('/link/page.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(LINK_PAGE_CSS));

  // The API in a scope of its own, so its errors keep the page's one shape ({ ok: false, sentence }),
  // and only JSON is taken (no text/plain: a cross-site form could send that without a preflight).
  app.register(
    async (api) => {
      api.removeContentTypeParser('text/plain');
      api.setErrorHandler((err: { statusCode?: unknown }, req, reply) => {
        const status =
          typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600
            ? err.statusCode
            : 500;
        if (status >= 500) deps.logger.error({ err, url: req.url }, 'link API failed');
        return reply.status(status).send(errorAnswer(status));
      });
      api.setNotFoundHandler((_req, reply) => reply.status(404).send(NOT_FOUND));
      api.post('/inspect', { bodyLimit: API_BODY_LIMIT }, inspect);
      api.post('/confirm', { bodyLimit: API_BODY_LIMIT }, confirm);
    },
    { prefix: '/link/api' },
  );

  async function inspect(req: FastifyRequest, reply: FastifyReply) {
    const body = CodeBody.safeParse(req.body);
    if (!body.success) return reply.status(400).send(BAD_REQUEST);
    const found = await deps.codes.inspect(body.data.code, { ip: req.ip });
    if (!found.ok)
      return reply.status(found.reason === 'rate_limited' ? 429 : 200).send(refusal(linkSentence(found)));
    return {
      ok: true,
      platform: platformName(found.identity.platform),
      displayName: found.identity.displayName,
    };
  }

  async function confirm(req: FastifyRequest, reply: FastifyReply) {
    const body = CodeBody.safeParse(req.body);
    if (!body.success) return reply.status(400).send(BAD_REQUEST);
    const token = bearer(req);
    const refused = refusal('Your sign-in could not be verified. Sign in again, then confirm.');
    if (!token) return reply.status(401).send(refused);
    let clerkUserId: string;
    try {
      clerkUserId = (await deps.verifier.verify(token)).clerkUserId;
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.logger.warn({ why: err.message }, 'link confirm with a refused session token');
      return reply.status(401).send(refused);
    }
    const result = await deps.codes.redeem(body.data.code, { ip: req.ip, clerkUserId });
    const sentence = linkSentence(result);
    await news.tell(result);
    const status = !result.ok && result.reason === 'rate_limited' ? 429 : 200;
    return reply.status(status).send({ ok: result.ok, sentence });
  }
}
