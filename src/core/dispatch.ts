// How every adapter answers an event: run it through the conversation core, open a form when the
// platform can and one is asked for, and send everything else through the notifier, which records
// message ids (so a backtest's progress is edited in place) and keeps undelivered messages in the outbox.
import type { Notifier } from '../notifier.ts';
import type { Conversation } from './conversation.ts';
import type { Form, IncomingEvent } from './types.ts';

export type DispatchOptions = {
  /** Opens a modal for the event (Discord, Slack). Omit on platforms without forms. */
  openForm?: (form: Form) => Promise<void>;
};

export async function dispatch(
  deps: { conversation: Conversation; notifier: Notifier },
  event: IncomingEvent,
  opts: DispatchOptions = {},
): Promise<void> {
  const withCaps: IncomingEvent = { ...event, capabilities: { forms: opts.openForm !== undefined } };
  const replies = await deps.conversation.handle(withCaps);
  for (const reply of replies) {
    if (reply.form && opts.openForm) {
      await opts.openForm(reply.form);
      const { form: _form, ...rest } = reply;
      if (!rest.text) continue;
      await deps.notifier.notify(event.address, rest);
      continue;
    }
    await deps.notifier.notify(event.address, reply);
  }
}
