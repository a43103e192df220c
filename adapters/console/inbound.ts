// Turns a typed line into an IncomingEvent. A bare number picks a button from the last message that
// had buttons, which is how the console offers buttons.
import type { ChatAddress, IncomingEvent, Sender } from '../../src/core/types.ts';

export function lineToEvent(
  line: string,
  who: { address: ChatAddress; sender: Sender },
  lastButtons: readonly string[],
): IncomingEvent | undefined {
  const text = line.trim();
  if (!text) return undefined;
  const base = { address: who.address, sender: who.sender, receivedAt: new Date() };
  const pick = /^\d{1,2}$/.test(text) ? lastButtons[Number(text) - 1] : undefined;
  if (pick !== undefined) return { ...base, kind: 'action', payload: pick };
  const cmd = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (cmd?.[1]) return { ...base, kind: 'command', name: cmd[1], args: cmd[2] ?? '' };
  return { ...base, kind: 'message', text };
}
