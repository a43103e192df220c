// Answers slash commands, buttons and modal submits. Discord drops an interaction that isn't
// acknowledged within 3 seconds, and a modal can only be the first answer, so the event runs through
// the core first (which may open a form as a modal) and is deferred after it, or after 2 seconds at the
// latest. Replies go out as channel messages through the notifier; a deferred "thinking…" is deleted.
import { type Interaction, MessageFlags } from 'discord.js';
import type { Logger } from 'pino';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import type { Form, IncomingEvent } from '../../src/core/types.ts';
import type { Notifier } from '../../src/notifier.ts';
import { buttonEvent, commandEvent, formEvent } from './inbound.ts';
import { renderModal } from './render.ts';

export const ACK_AFTER_MS = 2000;

type Deps = { conversation: Conversation; notifier: Notifier; logger: Logger };

export type Responder = {
  defer(): Promise<unknown>;
  /** Removes what `defer` left behind, if anything. */
  cleanUp?(): Promise<unknown>;
  /** Omitted where Discord allows no modal (the answer to a modal submit). */
  showModal?(form: Form): Promise<unknown>;
};

/** Runs `event` through the core and acknowledges the interaction through `r` exactly once, in time. */
export async function answer(deps: Deps, event: IncomingEvent | null, r: Responder): Promise<void> {
  let ack: Promise<unknown> | undefined;
  let deferred = false;
  const defer = () => {
    if (!ack) {
      deferred = true;
      ack = r.defer();
    }
    return ack;
  };
  const timer = setTimeout(() => {
    defer().catch((err: unknown) => deps.logger.warn({ err }, 'could not acknowledge a Discord interaction'));
  }, ACK_AFTER_MS);
  const { showModal } = r;
  const openForm = showModal
    ? async (form: Form) => {
        if (ack && event) {
          // Already deferred (the core was slow): Discord no longer accepts a modal for this press.
          await deps.notifier.notify(event.address, { text: 'That took too long to open. Press it again.' });
          return;
        }
        ack = showModal(form);
        await ack;
      }
    : undefined;
  try {
    if (event) await dispatch(deps, event, openForm ? { openForm } : {});
  } finally {
    clearTimeout(timer);
    await defer();
    if (deferred && r.cleanUp) await r.cleanUp();
  }
}

export async function handleInteraction(deps: Deps, i: Interaction): Promise<void> {
  if (i.isChatInputCommand()) {
    return answer(deps, commandEvent(i), {
      defer: () => i.deferReply({ flags: MessageFlags.Ephemeral }),
      cleanUp: () => i.deleteReply(),
      showModal: (form) => i.showModal(renderModal(form)),
    });
  }
  if (i.isButton()) {
    return answer(deps, buttonEvent(i), {
      defer: () => i.deferUpdate(),
      showModal: (form) => i.showModal(renderModal(form)),
    });
  }
  if (i.isModalSubmit()) {
    // A modal opened from a button can be acknowledged silently; one opened by a command cannot.
    if (i.isFromMessage()) return answer(deps, formEvent(i), { defer: () => i.deferUpdate() });
    return answer(deps, formEvent(i), {
      defer: () => i.deferReply({ flags: MessageFlags.Ephemeral }),
      cleanUp: () => i.deleteReply(),
    });
  }
}
