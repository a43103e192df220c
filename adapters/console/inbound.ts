// Turns a typed line into an IncomingEvent. A bare number picks a button from the last message that
// had buttons, which is how the console offers buttons; after a message without buttons it is plain text.
import type { Button, ChatAddress, IncomingEvent, Sender } from '../../src/core/types.ts';

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
  const base = { address: who.address, sender: who.sender, receivedAt: new Date() };
  if (/^\d{1,2}$/.test(text) && lastButtons.length > 0) {
    const pick = lastButtons[Number(text) - 1];
    if (pick === undefined)
      return { kind: 'local', text: `There's no button ${text}. Choose 1 to ${lastButtons.length}.` };
    if (pick.disabled) return { kind: 'local', text: `Button ${text} can't be used right now.` };
    return { kind: 'event', event: { ...base, kind: 'action', payload: pick.action } };
  }
  const cmd = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (cmd?.[1])
    return { kind: 'event', event: { ...base, kind: 'command', name: cmd[1], args: cmd[2] ?? '' } };
  return { kind: 'event', event: { ...base, kind: 'message', text } };
}
