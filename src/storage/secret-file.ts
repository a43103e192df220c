// A secret the app makes for itself and keeps in a file only its user can read (mode 0600, in a 0700
// folder), for keys an operator need not choose: made once, read on every start after. Several
// processes starting at once agree on one: the file appears whole or not at all (a hard link of a
// finished temporary file), and whoever comes second reads what the first wrote.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** Shorter than this is not a secret we made (ours are 64 hex characters). */
const MIN_LENGTH = 32;

const hasCode = (err: unknown, code: string) =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === code;

/** The secret kept in `file`, made (32 random bytes as hex) and stored the first time it is asked for. */
export async function readOrCreateSecret(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const made = randomBytes(32).toString('hex');
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${made}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return made;
  } catch (err) {
    if (!hasCode(err, 'EEXIST')) throw err;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return readSecret(file);
}

async function readSecret(file: string): Promise<string> {
  // A copy restored with looser permissions is tightened rather than left readable to others.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < MIN_LENGTH) {
    throw new AppError(
      'CONFIG',
      `${file} holds no usable secret (under ${MIN_LENGTH} characters). Delete it and a new one is made.`,
    );
  }
  return secret;
}
