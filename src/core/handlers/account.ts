// /link and /whoami: a chat identity and the account it belongs to. The link code is answered
// privately (it would let whoever reads it tie this identity to their own account).
import { formatCode } from '../../services/link-codes.ts';
import { identityLabel, platformName } from '../../services/link-sentences.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerCtx, LinkingDeps } from './deps.ts';
import { NOT_SET_UP, needIdentity, needLinking } from './linking.ts';

export async function linkCommand(deps: LinkingDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const { linking, identity } = needLinking(deps, ctx);
  const { code, expiresAt } = await linking.codes.issue(identity, ctx.direct ?? ctx.address);
  const shown = formatCode(code);
  const minutes = Math.round((expiresAt.getTime() - Date.now()) / 60_000);
  return [
    {
      private: true,
      text: [
        `Your link code: ${shown}`,
        `Open this page, sign in, check it names ${identity.displayName} on ${platformName(identity.platform)}, and confirm:`,
        // On a line of its own: chat clients only make an address clickable when nothing clings to it.
        `${linking.pageUrl}?code=${shown}`,
        `The code works once, for ${minutes} minutes. Don't share it: it links this chat to whoever uses it.`,
      ].join('\n'),
    },
  ];
}

export async function whoamiCommand(deps: LinkingDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const identity = needIdentity(ctx);
  const here = `You are ${identity.displayName} on ${platformName(identity.platform)} (id ${identity.platformUserId}).`;
  if (!deps.linking) return [{ text: `${here} You are a guest: ${NOT_SET_UP.toLowerCase()}` }];
  const me = await deps.linking.accounts.whoami(identity);
  if (!me.clerkUserId) {
    return [{ text: `${here} You are a guest, not linked to an account. Send /link to link one.` }];
  }
  const account = me.email ? `the account ${me.email}` : 'an account';
  const isHere = (i: { platform: string; platformUserId: string }) =>
    i.platform === identity.platform && i.platformUserId === identity.platformUserId;
  const lines = me.identities.map((i) => `- ${identityLabel(i)}${isHere(i) ? ', this chat' : ''}`);
  return [
    {
      text: [
        `${here} Linked to ${account}, with these chats:`,
        ...lines,
        'To unlink a chat: /unlink <platform> <id>; /unlink alone unlinks this one.',
      ].join('\n'),
    },
  ];
}
