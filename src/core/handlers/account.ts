// /link, /unlink and /whoami: a chat identity and the account it belongs to. The link code is answered
// privately (it would let whoever reads it tie this identity to their own account).
import { AppError } from '../../errors.ts';
import { formatCode } from '../../services/link-codes.ts';
import { platformName } from '../../services/link-sentences.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerCtx, LinkingDeps } from './deps.ts';

const NOT_SET_UP = 'Account linking is not set up on this bot.';

function need(deps: LinkingDeps, ctx: HandlerCtx) {
  if (!deps.linking) throw new AppError('BAD_COMMAND', NOT_SET_UP);
  if (!ctx.identity) throw new AppError('INTERNAL', 'I could not tell who is asking. Please try again.');
  return { linking: deps.linking, identity: ctx.identity };
}

export async function linkCommand(deps: LinkingDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const { linking, identity } = need(deps, ctx);
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

export async function unlinkCommand(deps: LinkingDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const { linking, identity } = need(deps, ctx);
  const done = await linking.accounts.unlink(
    identity.platform,
    identity.platformUserId,
    identity.displayName,
  );
  return [
    {
      text: done
        ? `Unlinked this ${platformName(identity.platform)} identity. Your strategies stay with your account; here you start afresh. Send /link to link again.`
        : 'This identity is not linked to an account. Send /link to link it.',
    },
  ];
}

export async function whoamiCommand(deps: LinkingDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const identity = ctx.identity;
  if (!identity) throw new AppError('INTERNAL', 'I could not tell who is asking. Please try again.');
  const here = `You are ${identity.displayName} on ${platformName(identity.platform)} (id ${identity.platformUserId}).`;
  if (!deps.linking) return [{ text: `${here} You are a guest: ${NOT_SET_UP.toLowerCase()}` }];
  const me = await deps.linking.accounts.whoami(identity);
  if (!me.clerkUserId) {
    return [{ text: `${here} You are a guest, not linked to an account. Send /link to link one.` }];
  }
  const others = me.identities
    .filter((i) => !(i.platform === identity.platform && i.platformUserId === identity.platformUserId))
    .map((i) => platformName(i.platform));
  const account = me.email ? `the account ${me.email}` : 'an account';
  const also = others.length > 0 ? ` Also linked: ${others.join(', ')}.` : '';
  return [{ text: `${here} Linked to ${account}.${also}` }];
}
