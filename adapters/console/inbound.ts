// Turns a typed line into an IncomingEvent. A bare number picks a button from the last message that
// had buttons, which is how the console offers buttons; after a message without buttons it is plain text.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  const file = /^\/import\s+(.+)$/i.exec(text)?.[1]?.trim();
  if (file)
    return { kind: 'event', event: { ...base, kind: 'message', text: '', attachments: [localFile(file)] } };
  const cmd = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (cmd?.[1])
    return { kind: 'event', event: { ...base, kind: 'command', name: cmd[1], args: cmd[2] ?? '' } };
  return { kind: 'event', event: { ...base, kind: 'message', text } };
}

function localFile(file: string): InboundAttachment {
  const full = path.resolve(file.replace(/^~(?=\/)/, os.homedir()));
  let size = 0;
  try {
    size = statSync(full).size;
  } catch {
    size = 0; // fetch() names the missing file
  }
  return {
    filename: path.basename(full),
    size,
    fetch: async () => {
      try {
        return new Uint8Array(readFileSync(full));
      } catch (err) {
        throw new AppError('BAD_INPUT', `I can't read ${file}. Check the path and try again.`, {
          cause: err,
        });
      }
    },
  };
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
