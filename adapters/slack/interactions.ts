// How a slash command or a button press is answered. Through the response_url Slack gives it (Bolt's
// respond), not chat.postMessage: that reaches the user where the bot can't post (a private channel it
// isn't in, a DM between two people) and answers privately, like Discord's interaction replies:
// ephemeral, except in the user's own DM with the bot, where an ordinary message stays. A response_url
// takes 5 messages within 30 minutes and no files, so code, charts and attachments go through the
// notifier to the user's DM with the bot (with the whole message when the user is there), and the rest
// of the answer comes here with a line saying where they went. When a response_url fails or is used up, the answer
// resolves false and dispatch posts through the notifier; job messages (progress, results) never come
// here. A form opens as a modal with the trigger id; when Slack refuses it, the user is told why.
import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DispatchOptions } from '../../src/core/dispatch.ts';
import type { Form, IncomingEvent, OutgoingMessage } from '../../src/core/types.ts';
import type { Notifier } from '../../src/notifier.ts';
import { encodeOrigin } from './inbound.ts';
import { renderMessage, renderModal } from './render.ts';
import { slackErrorCode } from './sink.ts';

const RESPONSE_URL_USES = 5;
/** A response_url lasts 30 minutes; stop relying on one a little before. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000 - 10_000;
/** views.open's answers when the trigger id is past its 3 seconds or was used already. */
const LATE_TRIGGER = new Set(['expired_trigger_id', 'exchanged_trigger_id', 'invalid_trigger_id']);
export const LATE_FORM = 'That took too long to open. Press it again.';

const Opened = z.object({ channel: z.object({ id: z.string() }) });
const MAX_DMS = 10_000;

/**
 * The id of each user's DM with the bot (conversations.open), remembered; undefined when Slack won't
 * say, which makes answers ephemeral and leaves files to the conversation.
 */
export function createDmLookup(client: webApi.WebClient, logger: Logger) {
  const known = new Map<string, Promise<string | undefined>>();
  return (userId: string): Promise<string | undefined> => {
    const hit = known.get(userId);
    if (hit) return hit;
    if (known.size >= MAX_DMS) known.clear();
    const lookup = client.conversations.open({ users: userId }).then(
      (res) => Opened.parse(res).channel.id,
      (err: unknown) => {
        logger.warn({ err }, 'could not open the DM with a Slack user');
        known.delete(userId);
        return undefined;
      },
    );
    known.set(userId, lookup);
    return lookup;
  };
}

type Deps = {
  client: webApi.WebClient;
  notifier: Notifier;
  logger: Logger;
  dmOf: (userId: string) => Promise<string | undefined>;
};

/** A message's files (code, attachments, a card's chart) as a message of their own, and the rest. */
function splitFiles(message: OutgoingMessage): { files: OutgoingMessage; rest: OutgoingMessage } {
  const { code, attachments, card, ...rest } = message;
  const chart = card?.image ? [card.image] : [];
  const title = card?.title ?? message.text.split('\n')[0] ?? '';
  const files: OutgoingMessage = {
    text: title,
    ...(code ? { code } : {}),
    attachments: [...chart, ...(attachments ?? [])],
  };
  if (!card) return { files, rest };
  const { image: _image, ...cardRest } = card;
  return { files, rest: { ...rest, card: cardRest } };
}

/** The dispatch options for one interaction: its response_url and trigger id, where it has them. */
export function interactionOptions(
  deps: Deps,
  event: IncomingEvent,
  at: { triggerId?: string | undefined; respond?: RespondFn | undefined },
): DispatchOptions {
  const { respond: reply, triggerId } = at;
  const receivedAt = Date.now();
  let uses = 0;
  const { platform, conversationId, userId } = event.address;
  const inOwnDm = async () => conversationId.startsWith('D') && (await deps.dmOf(userId)) === conversationId;

  const post = async (message: OutgoingMessage, inChannel: boolean) => {
    const { posts } = renderMessage(message);
    if (!reply || Date.now() - receivedAt > RESPONSE_URL_LIFETIME_MS) return false;
    if (uses + posts.length > RESPONSE_URL_USES) return false;
    try {
      for (const p of posts) {
        uses++;
        await reply({ ...p, response_type: inChannel ? 'in_channel' : 'ephemeral', replace_original: false });
      }
      return true;
    } catch (err) {
      deps.logger.warn({ err }, 'could not answer through the response_url; posting instead');
      return false;
    }
  };

  const respond = async (message: OutgoingMessage) => {
    const own = await inOwnDm();
    const { shares } = renderMessage(message);
    if (shares.length === 0) return post(message, own);
    const dm = own ? undefined : await deps.dmOf(userId);
    if (!dm) return false; // the user's own DM (or no DM to be had): the notifier shares it right here
    // The files go to the user's DM with the bot; the rest of the answer stays here, saying where.
    const { files, rest } = splitFiles(message);
    if (!(await deps.notifier.notify({ platform, conversationId: dm, userId }, files))) return false;
    const names = shares.map((s) => s.filename).join(', ');
    const note = `I sent ${names} to you in a direct message.`;
    const here = { ...rest, text: rest.text ? `${rest.text}\n${note}` : note };
    // The response_url gave out: the rest follows the files (the notifier can't reach every channel).
    if (!(await post(here, false)))
      await deps.notifier.notify({ platform, conversationId: dm, userId }, rest);
    return true;
  };

  const openForm = async (form: Form) => {
    if (!triggerId) return;
    try {
      await deps.client.views.open({
        trigger_id: triggerId,
        view: renderModal(form, encodeOrigin(event.address)),
      });
    } catch (err) {
      const code = slackErrorCode(err);
      deps.logger.warn({ err, code }, 'Slack did not open the form');
      const text = code && LATE_TRIGGER.has(code) ? LATE_FORM : "Slack didn't open the form. Press it again.";
      if (!(await respond({ text }))) await deps.notifier.notify(event.address, { text });
    }
  };

  return { ...(reply ? { respond } : {}), ...(triggerId ? { openForm } : {}) };
}
