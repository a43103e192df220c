// The Discord peer's HTTP side: REST under /api/v10 with JSON or multipart bodies (payload_json plus
// files[n]), `Bot <token>` auth (interaction and webhook routes carry their token in the path
// instead), and 429s with the rate-limit headers discord.js reads. Every request is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Route } from './channel-routes.ts';
import { fail, type Reply } from './schemas.ts';
import type { Upload } from './state.ts';

export type PeerRequest = { method: string; path: string; status: number; at: number };

async function readBody(req: IncomingMessage): Promise<{ json: unknown; files: Upload[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data'))
    return { json: raw.length > 0 ? JSON.parse(raw.toString()) : {}, files: [] };
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: Upload[] = [];
  let payload: unknown = {};
  for (const [key, value] of form) {
    if (typeof value === 'string') {
      if (key === 'payload_json') payload = JSON.parse(value);
    } else if (key.startsWith('files[')) files.push({ key, name: value.name, size: value.size });
  }
  return { json: payload, files };
}

function rateLimited(retryAfter: number): Reply {
  const after = String(retryAfter);
  return {
    status: 429,
    json: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    headers: {
      'retry-after': after,
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
      'x-ratelimit-reset-after': after,
      'x-ratelimit-bucket': 'peer-bucket',
      'x-ratelimit-scope': 'user',
    },
  };
}

export function createRestServer(opts: {
  token: string;
  routes: () => Route[];
  /** Files users attached, served like Discord's CDN: GET /attachments/<channel>/<id>/<name>, no auth. */
  attachment?: (path: string) => Buffer | undefined;
}) {
  const requests: PeerRequest[] = [];
  const limits: { method: string; path: RegExp; retryAfter: number }[] = [];
  const broken: { method: string; path: RegExp; status: number; uploads?: boolean; bare?: boolean }[] = [];

  function route(
    method: string,
    path: string,
    auth: string | undefined,
    body: { json: unknown; files: Upload[] },
  ) {
    const limited = limits.findIndex((l) => l.method === method && l.path.test(path));
    if (limited >= 0) return rateLimited(limits.splice(limited, 1)[0]?.retryAfter ?? 1);
    const breakage = broken.find(
      (b) => b.method === method && b.path.test(path) && (!b.uploads || body.files.length > 0),
    );
    // Something in between answering in JSON without Discord's error code.
    if (breakage?.bare) return { status: breakage.status, json: { message: 'upstream said no' } };
    if (breakage) return fail(breakage.status, 0, `${breakage.status}: Internal Server Error`);
    const open = /^\/(interactions|webhooks)\//.test(path);
    if (!open && auth !== `Bot ${opts.token}`) return fail(401, 0, '401: Unauthorized');
    for (const [m, re, fn] of opts.routes()) {
      const match = m === method ? re.exec(path) : null;
      if (match) return fn(match.slice(1), body.json, body.files);
    }
    return fail(404, 0, '404: Not Found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const body = await readBody(req);
    const entry = { method, path, status: 0, at: Date.now() };
    requests.push(entry);
    if (method === 'GET' && path.startsWith('/attachments/')) {
      const file = opts.attachment?.(path);
      entry.status = file ? 200 : 404;
      if (file) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
      else res.writeHead(404).end();
      return;
    }
    const reply = url.pathname.startsWith('/api/v10/')
      ? route(method, path, req.headers.authorization, body)
      : fail(404, 0, '404: Not Found');
    entry.status = reply.status;
    // A 204 has no body and no content type (discord.js would try to parse it).
    if (reply.status === 204) res.writeHead(204, reply.headers).end();
    else
      res
        .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        .end(JSON.stringify(reply.json ?? {}));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, message: String(err) }));
    });
  });
  return {
    server,
    requests,
    /** The next request matching method and path (after /api/v10) is answered 429 with retry_after. */
    rateLimitNext(method: string, path: RegExp, retryAfter: number) {
      limits.push({ method, path, retryAfter });
    },
    /** Every request matching method and path (after /api/v10) fails with `status`; the others work. */
    breakRoute(
      method: string,
      path: RegExp,
      status: number,
      how: { uploads?: boolean; bare?: boolean } = {},
    ) {
      broken.push({ method, path, status, ...how });
    },
    /** Undoes breakRoute for method and path. */
    mendRoute(method: string, path: RegExp) {
      for (let i = broken.length - 1; i >= 0; i--) {
        const b = broken[i];
        if (b && b.method === method && String(b.path) === String(path)) broken.splice(i, 1);
      }
    },
  };
}
