// How every adapter answers an event: run it through the conversation core, open a form when the
// platform can and one is asked for, answer in place where the platform has a reply channel of its own
// (Discord interactions), and send everything else through the notifier, which records message ids (so
// a backtest's progress is edited in place) and keeps undelivered messages in the outbox.
import type { Notifier } from '../notifier.ts';
import type { Conversation } from './conversation.ts';
import { type Form, formLead, type IncomingEvent, type OutgoingMessage } from './types.ts';

export type DispatchOptions = {
  /** Opens a modal for the event (Discord, Slack). Omit on platforms without forms. */
  openForm?: (form: Form) => Promise<void>;
  /**
   * Answers the event itself (Discord's interaction reply). Never given progress messages: those go
   * through the notifier so later states edit them. Resolves false when it can't answer any more (the
   * interaction expired), and the message goes to the chat through the notifier instead.
   */
  respond?: (message: OutgoingMessage) => Promise<boolean>;
};

export async function dispatch(
  deps: { conversation: Conversation; notifier: Notifier },
  event: IncomingEvent,
  opts: DispatchOptions = {},
): Promise<void> {
  const withCaps: IncomingEvent = { ...event, capabilities: { forms: opts.openForm !== undefined } };
  const replies = await deps.conversation.handle(withCaps);
  const send = async (message: OutgoingMessage) => {
    if (message.private) return sendPrivately(deps, event, message, opts);
    if (!message.progress && opts.respond && (await opts.respond(message))) return;
    await deps.notifier.notify(event.address, message);
  };
  for (const reply of replies) {
    if (reply.form && opts.openForm) {
      await opts.openForm(reply.form);
      const { form: _form, ...rest } = reply;
      const text = formLead(reply);
      if (text) await send({ ...rest, text });
      continue;
    }
    await send(reply);
  }
}

/**
 * A message for the sender alone: the platform's private reply (ephemeral on Discord and Slack), else
 * the sender's direct chat, with a line in a group saying where it went. Never posted where others read.
 */
async function sendPrivately(
  deps: { notifier: Notifier },
  event: IncomingEvent,
  message: OutgoingMessage,
  opts: DispatchOptions,
): Promise<void> {
  if (opts.respond && (await opts.respond(message))) return;
  const direct = event.direct;
  if (!direct) {
    await deps.notifier.notify(event.address, {
      text: 'I can only answer that privately: use the slash command, or send it to me in a direct message.',
    });
    return;
  }
  const delivered = await deps.notifier.notify(direct, message);
  if (direct.conversationId === event.address.conversationId) return;
  await deps.notifier.notify(event.address, {
    text: delivered
      ? 'I sent you the answer in a private message.'
      : 'I could not message you privately. Open a chat with me, then send the command there.',
  });
}
