// The app's HTTP server on loopback: the health check, the security headers on every answer, the body
// limit, a cut-off for clients that never finish a request, and a sentence (not a stack) on errors.
import net from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';

const logger = pino({ level: 'silent' });
const running: HttpServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function serve(
  opts: {
    bodyLimit?: number;
    requestTimeoutMs?: number;
    trustProxy?: string[];
    healthy?: () => Promise<boolean>;
  } = {},
  routes?: (s: HttpServer) => void,
): Promise<string> {
  const server = createHttpServer(
    {
      port: 0,
      host: '127.0.0.1',
      ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
      ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
      ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    },
    { logger, ...(opts.healthy ? { healthy: opts.healthy } : {}) },
  );
  routes?.(server);
  running.push(server);
  return `http://127.0.0.1:${await server.start()}`;
}

describe('http server', () => {
  it('answers the health check with the security headers', async () => {
    const base = await serve();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('says unavailable when a dependency is down', async () => {
    const base = await serve({ healthy: async () => false });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable' });
  });

  it('refuses a body over the limit with 413, and unknown paths with 404, headers included', async () => {
    const base = await serve({ bodyLimit: 1024 }, (s) => {
      s.app.post('/echo', async (req) => ({ got: req.body }));
    });
    const small = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(100) }),
    });
    expect(small.status).toBe(200);
    const big = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(2000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'That request is too large.' });
    const missing = await fetch(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
  });

  it('shows a sentence, not the error, when a handler throws', async () => {
    const base = await serve({}, (s) => {
      s.app.get('/boom', async () => {
        throw new Error('secret internals');
      });
    });
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(text).toContain('Something went wrong');
  });

  it('cuts off a client that never finishes its request', async () => {
    const base = await serve({ requestTimeoutMs: 300 }, (s) => {
      s.app.post('/echo', async (req) => ({ got: req.body }));
    });
    const { port } = new URL(base);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        );
      });
      let got = '';
      socket.on('data', (d) => {
        got += d.toString();
      });
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the server kept waiting')), 5_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('takes the client address from X-Forwarded-For only from a listed proxy, right-most untrusted first', async () => {
    const ipRoute = (s: HttpServer) => s.app.get('/ip', async (req) => ({ ip: req.ip }));
    const ip = async (base: string, forwarded: string) =>
      (
        (await (await fetch(`${base}/ip`, { headers: { 'x-forwarded-for': forwarded } })).json()) as {
          ip: string;
        }
      ).ip;
    const direct = await serve({}, ipRoute);
    expect(await ip(direct, '203.0.113.7')).toBe('127.0.0.1');
    // The peer (127.0.0.1) is not one of the listed proxies: its header is not believed.
    const elsewhere = await serve({ trustProxy: ['10.0.0.0/8', '192.0.2.1'] }, ipRoute);
    expect(await ip(elsewhere, '203.0.113.7')).toBe('127.0.0.1');
    const proxied = await serve({ trustProxy: ['loopback'] }, ipRoute);
    expect(await ip(proxied, '203.0.113.7')).toBe('203.0.113.7');
    // A client that writes its own X-Forwarded-For gets its real address (what the proxy appended), not
    // the one it made up; a chain of listed proxies is walked through.
    expect(await ip(proxied, '198.51.100.99, 203.0.113.7')).toBe('203.0.113.7');
    const chain = await serve({ trustProxy: ['127.0.0.1', '10.0.0.0/8'] }, ipRoute);
    expect(await ip(chain, '198.51.100.99, 203.0.113.7, 10.1.2.3')).toBe('203.0.113.7');
  });
});
