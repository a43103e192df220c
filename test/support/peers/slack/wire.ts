// The Slack peer's wire helpers: reading Web API bodies in the three encodings the client uses (form,
// JSON, multipart), Slack's error answer shape, and v0 request signing.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

export type Args = Record<string, unknown>;
export type Answer = { status?: number; headers?: Record<string, string>; body: Args };

export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Slack's `{ ok: false, error }`, with the detail lines Slack adds for invalid payloads. */
export const fail = (error: string, detail?: string[]): Answer => ({
  body: { ok: false, error, ...(detail ? { errors: detail, response_metadata: { messages: detail } } : {}) },
});

export const invalid = (error: string, e: z.ZodError) =>
  fail(
    error,
    e.issues.map((i) => `${i.path.join('/')}: ${i.message}`),
  );

/** Block and view arguments arrive as JSON strings in form bodies and as values in JSON bodies. */
export const parseJson = (v: unknown): unknown => {
  try {
    return typeof v === 'string' ? JSON.parse(v) : v;
  } catch {
    return v;
  }
};

export const sign = (secret: string, ts: number, body: string) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

export async function parseArgs(req: IncomingMessage, body: Buffer): Promise<{ args: Args; file?: Buffer }> {
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim();
  if (type === 'application/json')
    return { args: z.record(z.string(), z.unknown()).parse(JSON.parse(String(body))) };
  if (type === 'application/x-www-form-urlencoded')
    return { args: Object.fromEntries(new URLSearchParams(String(body))) };
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
    const args: Args = {};
    let file: Buffer | undefined;
    for (const [k, v] of form) {
      if (typeof v === 'string') args[k] = v;
      else file = Buffer.from(await v.arrayBuffer());
    }
    return { args, ...(file ? { file } : {}) };
  }
  return { args: {}, file: body };
}
