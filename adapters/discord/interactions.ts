// Answers slash commands, buttons and modal submits in place. Discord drops an interaction that isn't
// acknowledged within 3 seconds, and a modal can only be the first answer, so the event runs through
// the core first (which may open a form as a modal) and is deferred when its first answer is ready, or
// after 2 seconds at the latest. A command's first answer fills its deferred reply; everything else
// follows up; ephemeral in a server (a user's strategies are theirs alone), plain in a DM. After a
// modal, once the 15-minute token has run out, or when the reply fails, the notifier posts to the
// channel instead, as it does for a backtest's progress and result.
import {
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Conversation } from '../../src/core/conversation.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import type { Form, IncomingEvent, OutgoingMessage } from '../../src/core/types.ts';
import type { Notifier } from '../../src/notifier.ts';
import { buttonEvent, commandEvent, formEvent, withDeliveryId } from './inbound.ts';
import { renderMessage, renderModal } from './render.ts';

export const ACK_AFTER_MS = 2000;
/** Interaction tokens last 15 minutes; stop relying on one a little before. */
export const TOKEN_LIFETIME_MS = 15 * 60_000 - 10_000;

type Deps = { conversation: Conversation; notifier: Notifier; logger: Logger };

export type Responder = {
  /** When Discord created the interaction; its token lasts 15 minutes from then. */
  createdAt: number;
  defer(): Promise<unknown>;
  /** Answers after the acknowledgement; `first` when no answer went out before this one. */
  send(message: OutgoingMessage, first: boolean): Promise<unknown>;
  /** Removes a deferred reply that no answer filled, if the deferral left one. */
  cleanUp?(): Promise<unknown>;
  /** Omitted where Discord allows no modal (the answer to a modal submit). */
  showModal?(form: Form): Promise<unknown>;
};

/** Runs `event` through the core, acknowledging the interaction through `r` exactly once, in time. */
export async function answer(deps: Deps, event: IncomingEvent | null, r: Responder): Promise<void> {
  let ack: Promise<unknown> | undefined;
  let deferred = false;
  let modal = false;
  let answered = 0;
  const alive = () => Date.now() - r.createdAt < TOKEN_LIFETIME_MS;
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
  const respond = async (message: OutgoingMessage) => {
    if (modal || !alive()) return false;
    try {
      await defer();
      await r.send(message, answered === 0);
      answered++;
      return true;
    } catch (err) {
      deps.logger.warn({ err }, 'could not answer a Discord interaction; posting to the channel');
      return false;
    }
  };
  const { showModal } = r;
  const openForm = showModal
    ? async (form: Form) => {
        if (!ack) {
          modal = true;
          ack = showModal(form);
          await ack;
          return;
        }
        // Already deferred (the core was slow): Discord no longer accepts a modal for this interaction.
        const late = { text: 'That took too long to open. Press it again.' };
        if (event && !(await respond(late))) await deps.notifier.notify(event.address, late);
      }
    : undefined;
  try {
    if (event) await dispatch(deps, event, { respond, ...(openForm ? { openForm } : {}) });
  } finally {
    clearTimeout(timer);
    await defer();
    // A "thinking…" no answer filled (they all went to the channel) would spin on; remove it.
    if (deferred && answered === 0 && alive() && r.cleanUp) {
      await r
        .cleanUp()
        .catch((err: unknown) => deps.logger.warn({ err }, 'could not remove a deferred reply'));
    }
  }
}

/** Sends a message's pieces: the first may fill the deferred reply, the others follow up. */
function sender(i: RepliableInteraction, fillsReply: boolean): Responder['send'] {
  const flags: InteractionReplyOptions['flags'] = i.inGuild() ? MessageFlags.Ephemeral : undefined;
  return async (message, first) => {
    for (const [n, piece] of renderMessage(message).entries()) {
      if (n === 0 && first && fillsReply) await i.editReply(piece);
      else await i.followUp({ ...piece, flags });
    }
  };
}

export async function handleInteraction(deps: Deps, i: Interaction): Promise<void> {
  if (!i.isRepliable()) return;
  const reply = {
    createdAt: i.createdTimestamp,
    defer: () => i.deferReply(i.inGuild() ? { flags: MessageFlags.Ephemeral } : {}),
    cleanUp: () => i.deleteReply(),
    send: sender(i, true),
  };
  if (i.isChatInputCommand()) {
    return answer(deps, withDeliveryId(commandEvent(i), i.id), {
      ...reply,
      showModal: (form) => i.showModal(renderModal(form)),
    });
  }
  if (i.isButton()) {
    // A press answers with follow-ups; the message the button is on stays as it is.
    return answer(deps, withDeliveryId(buttonEvent(i), i.id), {
      createdAt: i.createdTimestamp,
      defer: () => i.deferUpdate(),
      send: sender(i, false),
      showModal: (form) => i.showModal(renderModal(form)),
    });
  }
  if (i.isModalSubmit()) {
    // A modal opened from a button can be acknowledged silently; one opened by a command cannot.
    const event = withDeliveryId(formEvent(i), i.id);
    if (!i.isFromMessage()) return answer(deps, event, reply);
    return answer(deps, event, {
      createdAt: i.createdTimestamp,
      defer: () => i.deferUpdate(),
      send: sender(i, false),
    });
  }
}
