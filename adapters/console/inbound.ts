// Turns a typed line into an IncomingEvent. A bare number picks a button from the last message that
// had buttons, which is how the console offers buttons; after a message without buttons it is plain text.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_IMPORT_BYTES } from '../../src/core/import-limit.ts';
import type { Button, ChatAddress, InboundAttachment, IncomingEvent, Sender } from '../../src/core/types.ts';
import { AppError } from '../../src/errors.ts';

export type ConsoleInput =
  | { kind: 'event'; event: IncomingEvent }
  | { kind: 'local'; text: string }
  | { kind: 'none' };

export function lineToEvent(
  line: string,
  who: { address: ChatAddress; sender: Sender },
  lastButtons: readonly Pick<Button, 'action' | 'disabled'>[],
): ConsoleInput {
  const text = line.trim();
  if (!text) return { kind: 'none' };
  // The terminal is its operator's alone: a private answer is shown like any other.
  const base = { address: who.address, sender: who.sender, receivedAt: new Date(), direct: who.address };
  if (/^\d{1,2}$/.test(text) && lastButtons.length > 0) {
    const pick = lastButtons[Number(text) - 1];
    if (pick === undefined)
      return { kind: 'local', text: `There's no button ${text}. Choose 1 to ${lastButtons.length}.` };
    if (pick.disabled) return { kind: 'local', text: `Button ${text} can't be used right now.` };
    return { kind: 'event', event: { ...base, kind: 'action', payload: pick.action } };
  }
  // "/import path/to/strategy.py": the terminal's way to attach a file; read only if the core wants it.
  const file = /^\/import\b\s*(.*)$/i.exec(text);
  if (file) {
    // A path pasted from a file manager often comes quoted ("My Strategy.py", '~/x.py').
    const typed = file[1]?.trim() ?? '';
    const attachment = localFile(/^(["'])(.*)\1$/.exec(typed)?.[2] ?? typed);
    if (typeof attachment === 'string') return { kind: 'local', text: attachment };
    return { kind: 'event', event: { ...base, kind: 'message', text: '', attachments: [attachment] } };
  }
  const cmd = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (cmd?.[1])
    return { kind: 'event', event: { ...base, kind: 'command', name: cmd[1], args: cmd[2] ?? '' } };
  return { kind: 'event', event: { ...base, kind: 'message', text } };
}

const IMPORT_USAGE = `/import reads a Freqtrade strategy from a .py file on this computer, up to ${MAX_IMPORT_BYTES / 1024} KB, for example: /import ~/strategies/MyStrategy.py. You can also paste the code in a \`\`\` block.`;

/**
 * The file "/import PATH" names, as an attachment read only when the core wants it, or the sentence
 * that says why it can't be one: no path, not a .py file, a directory, a device or a pipe. It reads
 * regular files only, and never more than the import limit, so /dev/zero or a FIFO can't hang the
 * console or fill its memory.
 */
function localFile(file: string): InboundAttachment | string {
  if (!file) return IMPORT_USAGE;
  const full = path.resolve(file.replace(/^~(?=\/)/, os.homedir()));
  let size = 0;
  try {
    const info = statSync(full);
    if (info.isDirectory()) return `${file} is a folder. ${IMPORT_USAGE}`;
    if (!info.isFile()) return `${file} is not a regular file. ${IMPORT_USAGE}`;
    size = info.size;
  } catch {
    size = 0; // fetch() names the missing file
  }
  if (!/\.py$/i.test(full)) return `${file} is not a .py file. ${IMPORT_USAGE}`;
  return { filename: path.basename(full), size, fetch: async () => readBounded(full, file) };
}

/** At most the import limit plus one byte of a regular file (one more says it is too large). */
function readBounded(full: string, asTyped: string): Uint8Array {
  let fd: number;
  try {
    // Non-blocking, so a path swapped for a FIFO since the check can't hang the open.
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new AppError('BAD_INPUT', `I can't read ${asTyped}. Check the path and try again.`, { cause: err });
  }
  try {
    if (!fstatSync(fd).isFile())
      throw new AppError('BAD_INPUT', `${asTyped} is not a regular file. ${IMPORT_USAGE}`);
    const buf = Buffer.alloc(MAX_IMPORT_BYTES + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return new Uint8Array(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

/**
 * Gathers a fenced code block typed or pasted over several lines ("```python" … "```") into one
 * message, as chat platforms deliver it. Returns the whole message when complete, null while inside.
 */
export function createPasteCollector() {
  let open: string[] | undefined;
  return (line: string): string | null => {
    if (open) {
      open.push(line);
      if (line.trim().startsWith('```')) {
        const text = open.join('\n');
        open = undefined;
        return text;
      }
      return null;
    }
    const fence = line.trim();
    // A fence that also closes on its own line ("```x = 1```") is complete already.
    if (fence.startsWith('```') && !(fence.length > 3 && fence.endsWith('```'))) {
      open = [line];
      return null;
    }
    return line;
  };
}
