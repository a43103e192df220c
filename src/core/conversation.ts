// The conversation core: every platform's events come through `handle`. It resolves the user, routes
// commands, buttons and free text, and is the single error boundary: users see a sentence, the log
// gets the rest with the correlation id.
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors.ts';
import { newCorrelationId } from '../logger.ts';
import type { DeliveryClaim, InboundDeliveries } from '../services/inbound-deliveries.ts';
import type { QuotaService } from '../services/quotas.ts';
import type { UserService } from '../services/users.ts';
import { isStorageUnavailable } from '../storage/unavailable.ts';
import { cleanUserText } from '../storage/user-text.ts';
import { decodeAction } from './actions.ts';
import type { FormSessions } from './form-session.ts';
import { cancelRequest } from './handlers/cancel.ts';
import type { HandlerCtx, HandlerDeps } from './handlers/deps.ts';
import { helpMessage } from './handlers/help.ts';
import { importFromMessage } from './handlers/import.ts';
import { optimiseRequest } from './handlers/optimise.ts';
import { agentThread, createRouter } from './handlers/route.ts';
import type { ConversationAgent } from './ports.ts';
import { formLead, type IncomingEvent, type OutgoingMessage } from './types.ts';

export type Conversation = { handle(event: IncomingEvent): Promise<OutgoingMessage[]> };

export type ConversationDeps = HandlerDeps & {
  users: UserService;
  /** Messages per minute and the user's tier; absent in tests that set no quotas. */
  quotas?: Pick<QuotaService, 'message' | 'accountCommand' | 'tierOf'>;
  /** Guests may only link (REQUIRE_LINK). */
  requireLink?: boolean;
  agent: ConversationAgent;
  forms: FormSessions;
  logger: Logger;
  /** Delivery ids claimed and handled; absent in tests that replay nothing. */
  deliveries?: InboundDeliveries;
};

const MAX_TEXT = 4000;
/**
 * What a trader can always ask: help, who they are, and linking. Outside the messages-a-minute quota
 * (one who hit it must still learn why and link for more) and open to guests under REQUIRE_LINK.
 */
const ACCOUNT_COMMANDS: ReadonlySet<string> = new Set(['link', 'unlink', 'whoami', 'help', 'start']);
/** Commands that only read: safe to ask the database again, and nothing to lose when they fail. */
const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  'help',
  'start',
  'strategies',
  'list',
  'show',
  'whoami',
  'compare',
  'diff',
]);
const isReadOnly = (event: IncomingEvent) =>
  event.kind === 'command' && READ_ONLY_COMMANDS.has(event.name.toLowerCase());
const STORAGE_RETRY_MS = 1500;

/** What a trader is told while the database can't be reached, and whether their request was kept. */
function storageDown(ref: string, changed: boolean): string {
  const kept = changed
    ? 'It may only be partly saved: once storage is back, check with /strategies before sending it again.'
    : 'Nothing was saved or queued, so please send it again in a minute.';
  return `Storage is unavailable right now (ref ${ref}), so I couldn't do that. ${kept}`;
}
/**
 * Says how a claimed delivery ended. Never throws: the answer stands either way, and a mark left
 * 'claimed' only means a copy after the claim's bound is handled again.
 */
async function settle(claim: DeliveryClaim | undefined, how: 'done' | 'failed', log: Logger) {
  if (!claim) return;
  await claim[how]().catch((err: unknown) => log.warn({ err, how }, 'delivery mark not updated'));
}
const isAccountCommand = (event: IncomingEvent) =>
  event.kind === 'command' && ACCOUNT_COMMANDS.has(event.name.toLowerCase());

/** A yes or a no typed to a question asked with buttons ("Delete X? [Delete X] [Keep it]"). */
const TYPED_YES =
  /^(?:y|yes|yep|yeah|yup|sure|ok(?:ay)?|confirm(?:ed)?)\b(?:[\s,!.]*(?:please|do\s+it|go\s+ahead|delete\s+it))*[\s.!]*$/i;
const TYPED_NO =
  /^(?:n|no|nope|nah|cancel|keep(?:\s+it)?|don'?t)\b(?:[\s,!.]*(?:thanks|please|keep\s+it))*[\s.!]*$/i;
/** How long a question asked with buttons waits for a typed answer. */
const QUESTION_MS = 10 * 60_000;

export function createConversation(deps: ConversationDeps): Conversation {
  const router = createRouter({ ...deps, say: (text, ctx) => freeText(text, ctx, false) });
  /** Per chat and person, the yes/no question last asked with buttons; anything said after it drops it. */
  const asked = new Map<string, { yes: string; no: string; at: number }>();
  const askedKey = (event: IncomingEvent) =>
    `${event.address.platform}:${event.address.conversationId}:${event.sender.platformUserId}`;
  /** Keeps the question; those nobody answered in time go, so the map holds only live ones. */
  const remember = (key: string, answers: { yes: string; no: string }) => {
    const now = Date.now();
    for (const [k, q] of asked) if (now - q.at >= QUESTION_MS) asked.delete(k);
    asked.set(key, { ...answers, at: now });
  };
  return {
    async handle(event) {
      if (event.sender.isBot) return [];
      const correlationId = newCorrelationId();
      const log = deps.logger.child({
        correlationId,
        platform: event.address.platform,
        conversationId: event.address.conversationId,
      });
      const started = Date.now();
      log.info(
        { event: 'incoming', kind: event.kind, name: event.kind === 'command' ? event.name : undefined },
        'incoming',
      );
      // Claimed once, before the first go: a read asked again must not meet its own id.
      let claim: DeliveryClaim | undefined;
      for (let attempt = 1; ; attempt++) {
        const progress = { changed: false };
        try {
          if (attempt === 1) {
            const claimed = await claimOf(event);
            // A platform's retry or a replay of something handled or being handled: answered once.
            if (claimed === 'repeat') {
              log.info(
                { event: 'duplicate', deliveryId: event.deliveryId },
                'delivery already handled; ignored',
              );
              return [];
            }
            claim = claimed;
          }
          const out = await handleOnce(event, correlationId, progress);
          const question = out.at(-1)?.typedAnswers;
          if (question) remember(askedKey(event), question);
          await settle(claim, 'done', log);
          log.info({ event: 'handled', ms: Date.now() - started }, 'handled');
          return out;
        } catch (err) {
          if (isStorageUnavailable(err)) {
            // A read asks again once the database had a moment to come back; a change is never repeated.
            const retry = attempt === 1 && isReadOnly(event);
            log.warn({ err, attempt, retry, changed: progress.changed }, 'storage unavailable');
            if (retry) {
              await new Promise((r) => setTimeout(r, STORAGE_RETRY_MS));
              continue;
            }
            await settle(claim, progress.changed ? 'done' : 'failed', log);
            return [{ text: storageDown(correlationId, progress.changed) }];
          }
          if (isAppError(err)) {
            await settle(claim, 'done', log);
            // A refusal is an answer, not a fault: logged without a stack (the cause's, if any, kept).
            log.info(
              { code: err.code, reason: err.message, ...(err.cause ? { err: err.cause } : {}) },
              'request refused',
            );
            // A refusal may quote what was typed: without its bidi overrides and control characters.
            return [{ text: cleanUserText(err.userMessage) }];
          }
          // Not handled: the platform's retry of it (or a replay) is handled again.
          await settle(claim, 'failed', log);
          log.error({ err }, 'unexpected error');
          return [{ text: `Something went wrong on our side (ref ${correlationId}). Please try again.` }];
        }
      }
    },
  };

  /**
   * One go at the event. `progress.changed` turns true once the request got past reading who the user
   * is, the point after which something may have been stored.
   */
  async function handleOnce(event: IncomingEvent, correlationId: string, progress: { changed: boolean }) {
    const user = await deps.users.resolve(
      event.address.platform,
      event.sender.platformUserId,
      event.sender.displayName,
    );
    if (isAccountCommand(event)) await deps.quotas?.accountCommand(user.id);
    else await deps.quotas?.message(user.id);
    if (deps.requireLink && !(await linkedOrLinking(user.id, event))) {
      throw new AppError(
        'NOT_LINKED',
        'This bot is for traders with an account. Send /link to link this chat to yours.',
      );
    }
    const forms = event.capabilities?.forms === true;
    const identity = {
      platform: event.address.platform,
      platformUserId: event.sender.platformUserId,
      displayName: event.sender.displayName,
    };
    const ctx: HandlerCtx = {
      ownerId: user.id,
      identity,
      address: event.address,
      correlationId,
      forms,
      ...(event.direct ? { direct: event.direct } : {}),
    };
    progress.changed = !isReadOnly(event);
    return askFieldByField(await route(event, ctx, user.isNew), event, forms);
  }

  /** This copy's claim on its delivery; 'repeat' when one was handled or is being handled. */
  async function claimOf(event: IncomingEvent): Promise<DeliveryClaim | 'repeat' | undefined> {
    if (!event.deliveryId || !deps.deliveries) return undefined;
    return (await deps.deliveries.claim(event.deliveryId)) ?? 'repeat';
  }

  /** With REQUIRE_LINK a guest may still ask for help, who they are, and a link code. */
  async function linkedOrLinking(ownerId: HandlerCtx['ownerId'], event: IncomingEvent): Promise<boolean> {
    if (isAccountCommand(event)) return true;
    return (await deps.quotas?.tierOf(ownerId)) === 'linked';
  }

  async function route(
    event: IncomingEvent,
    ctx: HandlerCtx,
    firstContact: boolean,
  ): Promise<OutgoingMessage[]> {
    // "yes" to "Delete X?": its button pressed. Whatever else comes after the question drops it.
    const question = asked.get(askedKey(event));
    asked.delete(askedKey(event));
    if (event.kind === 'message' && question && Date.now() - question.at < QUESTION_MS) {
      const typed = event.text.trim();
      const pressed = TYPED_YES.test(typed) ? question.yes : TYPED_NO.test(typed) ? question.no : undefined;
      if (pressed) return router.action(ctx, decodeAction(pressed));
    }
    // A command or a button ends a form being asked field by field: the person moved on.
    if (event.kind === 'command' || event.kind === 'action') await deps.forms.abandon(event.address);
    switch (event.kind) {
      case 'command':
        return router.command(ctx, event.name.toLowerCase(), event.args.slice(0, MAX_TEXT));
      case 'action':
        return router.action(ctx, decodeAction(event.payload));
      case 'message': {
        // Pasted or attached strategy code is an import, whatever else the message says.
        const imported = await importFromMessage(deps, ctx, event.text, event.attachments);
        if (!imported) return freeText(event.text, ctx, firstContact);
        await deps.forms.abandon(event.address);
        return imported;
      }
      case 'form':
        return router.form(ctx, decodeAction(event.submit), event.values);
    }
  }

  /** Without modals, a reply's form becomes a question per field (the answers come back as text). */
  async function askFieldByField(out: OutgoingMessage[], event: IncomingEvent, forms: boolean) {
    if (forms) return out;
    const result: OutgoingMessage[] = [];
    for (const msg of out) {
      if (!msg.form) {
        result.push(msg);
        continue;
      }
      // A form with a preface (what an optimisation can tune) is explained before its first question.
      if (msg.form.preface) result.push({ text: formLead(msg) });
      result.push(await deps.forms.start(event.address, msg.form));
    }
    return result;
  }

  async function freeText(text: string, ctx: HandlerCtx, firstContact: boolean): Promise<OutgoingMessage[]> {
    const trimmed = text.trim().slice(0, MAX_TEXT);
    const answer = await deps.forms.answer(ctx.address, trimmed);
    if (answer?.kind === 'ask' || answer?.kind === 'cancelled') return [answer.message];
    if (answer?.kind === 'done') return router.form(ctx, decodeAction(answer.submit), answer.values);
    if (!trimmed) {
      if (firstContact) return [helpMessage(deps, 'Welcome to GenTrade!')];
      throw new AppError('BAD_INPUT', 'Say what you would like to do, or type /help.');
    }
    // Asked in words, a cancel is the command: the agent has no tool that stops a run.
    const cancelArgs = cancelRequest(trimmed);
    if (cancelArgs !== null) return router.command(ctx, 'cancel', cancelArgs);
    // "optimise <one of my strategies>": the command, not a new strategy read from its name's words.
    const optimiseArgs = await optimiseRequest(deps, ctx, trimmed);
    if (optimiseArgs !== null) return router.command(ctx, 'optimize', optimiseArgs);
    const replies = await deps.agent.respond({
      threadId: agentThread(ctx.address),
      ownerId: ctx.ownerId,
      text: trimmed,
      address: ctx.address,
      correlationId: ctx.correlationId,
    });
    if (!firstContact) return replies;
    // First contact gets the welcome and suggestions once, not twice when the first words asked for help.
    const plainHelp = helpMessage(deps).text;
    if (replies.some((r) => r.text === plainHelp)) {
      return replies.map((r) => (r.text === plainHelp ? helpMessage(deps, 'Welcome to GenTrade!') : r));
    }
    return [helpMessage(deps, 'Welcome to GenTrade!'), ...replies];
  }
}
