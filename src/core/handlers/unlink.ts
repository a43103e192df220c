// /unlink: with no argument it detaches this chat from its account; `/unlink <platform> [id]` detaches
// another chat of the same account (one the trader lost, or one they don't recognise from a link
// notice). Only identities on the asker's own account can be named: the list comes from that account.
import { AppError } from '../../errors.ts';
import type { LinkedIdentity } from '../../services/accounts.ts';
import { identityLabel, platformName, platformOf } from '../../services/link-sentences.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerCtx, LinkingDeps } from './deps.ts';
import { needLinking } from './linking.ts';

const USAGE =
  'Usage: /unlink to unlink this chat, or /unlink <platform> [id] for another chat of your account.';

export async function unlinkCommand(
  deps: LinkingDeps,
  ctx: HandlerCtx,
  args: string,
): Promise<OutgoingMessage[]> {
  const { linking, identity } = needLinking(deps, ctx);
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length > 2) throw new AppError('BAD_COMMAND', USAGE);
  const [platformWord, id] = words;
  const here = { platform: identity.platform, platformUserId: identity.platformUserId };
  if (!platformWord) return unlinkHere();

  const me = await linking.accounts.whoami(identity);
  if (!me.clerkUserId) {
    return [{ text: 'This chat is not linked to an account, so it has no other chats to unlink.' }];
  }
  const platform = platformOf(platformWord);
  const named = me.identities.filter(
    (i) => i.platform === platform && (id === undefined || i.platformUserId === id),
  );
  const [target, ...more] = named;
  if (!target) {
    const which = `${platformName(platform)} chat${id === undefined ? '' : ` with id ${id}`}`;
    return [{ text: `No ${which} is linked to your account. /whoami lists the ones that are.` }];
  }
  if (more.length > 0) return [{ text: ambiguous(platform, named) }];
  if (target.platform === here.platform && target.platformUserId === here.platformUserId) return unlinkHere();
  const { platform: p, platformUserId } = target;
  const done = await linking.accounts.unlink({ platform: p, platformUserId }, { account: ctx.ownerId });
  if (done) await linking.news.unlinked(target, { ...identity, displayName: identity.displayName || null });
  return [
    {
      text: done
        ? `Unlinked ${identityLabel(target)} from your account. That chat starts afresh as a guest; your strategies stay with the account.`
        : `${identityLabel(target)} is no longer linked to your account.`,
    },
  ];

  async function unlinkHere(): Promise<OutgoingMessage[]> {
    const done = await linking.accounts.unlink(identity);
    return [
      {
        text: done
          ? `Unlinked this ${platformName(identity.platform)} identity. Your strategies stay with your account; here you start afresh. Send /link to link again.`
          : 'This identity is not linked to an account. Send /link to link it.',
      },
    ];
  }
}

function ambiguous(platform: string, named: LinkedIdentity[]): string {
  const list = named.map((i) => identityLabel(i)).join(', ');
  return `Your account has ${named.length} ${platformName(platform)} chats: ${list}. Say which: /unlink ${platform} <id>.`;
}
