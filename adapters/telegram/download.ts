// Downloads a document a user sent the bot: getFile gives a path, the bytes are at
// <apiRoot>/file/bot<token>/<path>. That URL carries the bot token, so it is never logged nor put in
// an error; failures name the HTTP status only. Bots may download 20 MB at most, so larger files are
// refused before asking Telegram.
import { type Api, GrammyError } from 'grammy';
import { AppError } from '../../src/errors.ts';

/** Telegram's limit on files a bot can download (getFile answers "file is too big" above it). */
const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** Fetches a document by file_id; `size` is the document's file_size when Telegram gave one. */
export type TelegramDownload = (fileId: string, size: number | undefined) => Promise<Uint8Array>;

const tooBig = (detail: string) =>
  new AppError('BAD_INPUT', 'That file is over 20 MB, more than Telegram lets bots download.', { detail });
const failed = (detail: string, cause?: unknown) =>
  new AppError('BAD_INPUT', 'I could not download that file from Telegram. Try sending it again.', {
    detail,
    cause,
  });

export function createTelegramDownload(deps: {
  api: Pick<Api, 'getFile'>;
  apiRoot: string;
  token: string;
}): TelegramDownload {
  return async (fileId, size) => {
    if (size !== undefined && size > BOT_DOWNLOAD_LIMIT) throw tooBig(`file_size ${size}`);
    const file = await deps.api.getFile(fileId).catch((err: unknown) => {
      if (err instanceof GrammyError && /too big/i.test(err.description)) throw tooBig(err.description);
      throw failed('getFile failed', err);
    });
    if (file.file_size !== undefined && file.file_size > BOT_DOWNLOAD_LIMIT) {
      throw tooBig(`file_size ${file.file_size}`);
    }
    if (!file.file_path) throw failed('getFile returned no file_path');
    const url = `${deps.apiRoot}/file/bot${deps.token}/${file.file_path}`;
    // Only the message goes into the error: undici's causes can quote the request.
    const res = await fetch(url, { redirect: 'manual' }).catch((err: unknown) => {
      throw failed(`file download failed: ${err instanceof Error ? err.message : 'unknown error'}`);
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw failed(`file download: HTTP ${res.status}`);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > BOT_DOWNLOAD_LIMIT) {
      await res.body?.cancel();
      throw tooBig(`content-length ${length}`);
    }
    return new Uint8Array(await res.arrayBuffer());
  };
}
