// Documents users send the bot, as Telegram keeps them: getFile answers a file_path (refusing files
// over the 20 MB bot limit), and the bytes are served at /file/bot<token>/<file_path>, a 404 for any
// other token. Every download attempt is recorded, so tests can tell what was (not) fetched.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { ApiError, bad, type Json } from './wire.ts';

const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

type Stored = { id: string; path: string; data: Buffer; size: number };

export type Download = { path: string; status: number };

export function createFiles(token: string) {
  const files = new Map<string, Stored>();
  const downloads: Download[] = [];
  let next = 1;

  return {
    /** Keeps a user's file; `size` claims another file_size (a huge file without its bytes). */
    add(filename: string, data: Buffer, size = data.length): Json {
      const n = next++;
      const ext = /\.[A-Za-z0-9]+$/.exec(filename)?.[0] ?? '';
      const stored: Stored = { id: `BQACAgIAAxkBAAI${n}`, path: `documents/file_${n}${ext}`, data, size };
      files.set(stored.id, stored);
      return {
        file_id: stored.id,
        file_unique_id: `AgAD${n}`,
        file_name: filename,
        mime_type: ext === '.py' ? 'text/x-python' : 'application/octet-stream',
        file_size: size,
      };
    },
    getFile(p: Json): Json {
      const { file_id } = z.object({ file_id: z.string() }).parse(p);
      const f = files.get(file_id);
      if (!f) throw bad('invalid file_id');
      if (f.size > BOT_DOWNLOAD_LIMIT) throw bad('file is too big');
      return { file_id: f.id, file_unique_id: f.id.slice(-6), file_size: f.size, file_path: f.path };
    },
    /** Serves /file/bot<token>/<path>; false when `pathname` isn't a file download. */
    serve(pathname: string, res: ServerResponse): boolean {
      const m = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
      if (!m?.[1] || !m[2]) return false;
      const f = m[1] === token ? [...files.values()].find((x) => x.path === m[2]) : undefined;
      const status = f ? 200 : 404;
      downloads.push({ path: m[2], status });
      if (!f) {
        const e = new ApiError(404, 'Not Found');
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(e.envelope()));
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.data.length });
      res.end(f.data);
      return true;
    },
    downloads: (): Download[] => downloads.map((d) => ({ ...d })),
  };
}
