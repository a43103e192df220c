// What /link, /unlink and /whoami share: the linking services when Clerk is configured, and who asks.
import { AppError } from '../../errors.ts';
import type { HandlerCtx, LinkingDeps } from './deps.ts';

export const NOT_SET_UP = 'Account linking is not set up on this bot.';

/** The linking services and the asking identity, or the sentence saying why there are none. */
export function needLinking(deps: LinkingDeps, ctx: HandlerCtx) {
  if (!deps.linking) throw new AppError('BAD_COMMAND', NOT_SET_UP);
  return { linking: deps.linking, identity: needIdentity(ctx) };
}

export function needIdentity(ctx: HandlerCtx) {
  if (!ctx.identity) throw new AppError('INTERNAL', 'I could not tell who is asking. Please try again.');
  return ctx.identity;
}
