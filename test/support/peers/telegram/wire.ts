// The Bot API's wire format as the peer reads it: JSON or multipart bodies (files are parts referenced
// by attach://<name>), Telegram's error envelope, and the schemas of the parameters GenTrade sends.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

export type Json = Record<string, unknown>;
type Upload = { filename: string; bytes: number };

/** A Bot API error: the status, Telegram's description and, for 429, retry_after. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
    /** The body to answer instead of Telegram's envelope (a proxy's or an emulator's odd answer). */
    readonly raw?: Json,
  ) {
    super(description);
  }

  envelope(): Json {
    if (this.raw) return this.raw;
    const parameters = this.retryAfter ? { parameters: { retry_after: this.retryAfter } } : {};
    return { ok: false, error_code: this.code, description: this.description, ...parameters };
  }
}
export const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);

function parseMultipart(body: Buffer, boundary: string): Json {
  const fields: Json = {};
  const files = new Map<string, Upload>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length + 2; // past the boundary and its CRLF
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // without the CRLF before the next boundary
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const value = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    if (name && filename !== undefined) files.set(name, { filename, bytes: value.length });
    else if (name) fields[name] = value.toString('utf8');
    at = next;
  }
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.startsWith('attach://')) fields[k] = files.get(v.slice(9));
  }
  return fields;
}

export async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(body, boundary);
  if (body.length === 0) return {};
  return z.record(z.string(), z.unknown()).parse(JSON.parse(body.toString('utf8')));
}

// Multipart bodies carry objects as JSON text.
export const jsonText = (v: unknown): unknown =>
  typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v;
export const int = z.coerce.number().int();
// An inline keyboard, or ForceReply (a question whose answer must reach a bot in privacy mode).
export const Markup = z.preprocess(
  jsonText,
  z
    .union([
      z.object({
        inline_keyboard: z.array(
          z.array(z.object({ text: z.string(), callback_data: z.string().optional() })),
        ),
      }),
      z.object({
        force_reply: z.literal(true),
        input_field_placeholder: z.string().max(64).optional(),
        selective: z.boolean().optional(),
      }),
    ])
    .optional(),
);
export const FileRef = z.object(
  { filename: z.string(), bytes: z.number() },
  { error: 'file must be uploaded' },
);
export const ChatTarget = z.object({ chat_id: z.coerce.string() });
export const Target = ChatTarget.extend({ message_id: int });
export const Text = z.object({
  text: z.string(),
  parse_mode: z.literal('HTML').optional(),
  reply_markup: Markup,
});
export const Caption = z.object({
  caption: z.string().optional(),
  parse_mode: z.literal('HTML').optional(),
  reply_markup: Markup,
});
