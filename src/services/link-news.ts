// Who hears of a link besides the page: the linked chat, in the trader's direct chat with the bot, and
// every other chat of the account, in theirs, so an identity joined by someone else doesn't go
// unnoticed. Only a link is told: a refusal came from what was done on the page and is said there. A
// chat unlinked from another chat of the account (/unlink <platform> <id>) is told too, in its own.
// A chat that can't be reached now gets it later (the notifier's outbox); none holds the others up.
import type { Logger } from 'pino';
import type { ChatAddress } from '../core/types.ts';
import type { Notifier } from '../notifier.ts';
import type { LinkedIdentity, LinkResult } from './accounts.ts';
import { linkedNotice, linkSentence, unlinkedNotice } from './link-sentences.ts';

export type LinkNews = {
  tell(result: LinkResult & { replyTo?: ChatAddress }): Promise<void>;
  /** Tells `target`, in its direct chat (when one is known), that `by` unlinked it. */
  unlinked(
    target: LinkedIdentity,
    by: { platform: string; platformUserId: string; displayName: string | null },
  ): Promise<void>;
};

export function createLinkNews(deps: { notifier: Notifier; logger: Logger }): LinkNews {
  const send = (to: ChatAddress, text: string) =>
    deps.notifier.notify(to, { text }).then(
      () => undefined,
      (err: unknown) => deps.logger.warn({ err, platform: to.platform }, 'could not tell a chat of a link'),
    );
  return {
    async tell(result) {
      if (!result.ok) return;
      const { platform, platformUserId, displayName } = result.identity;
      const notice = linkedNotice({ platform, platformUserId, displayName });
      await Promise.all([
        ...(result.replyTo ? [send(result.replyTo, linkSentence(result))] : []),
        ...result.others.flatMap((other) => (other.direct ? [send(other.direct, notice)] : [])),
      ]);
    },
    async unlinked(target, by) {
      if (target.direct) await send(target.direct, unlinkedNotice(by));
    },
  };
}
