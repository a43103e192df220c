// Where every command, button and form submit goes: one table per kind. The action table must name a
// handler for every action in actions.ts (the compiler checks it), so a button can't be added without
// its handler. A command or a button supersedes the agent's waiting question; pressing the agent's own
// Confirm/Cancel or a suggestion does not.
import { AppError, isAppError } from '../../errors.ts';
import type { StrategyDoc } from '../../storage/models.ts';
import type { Action, ActionName, ActionOf } from '../actions.ts';
import { parseBacktestArgs } from '../commands.ts';
import type { ConversationAgent } from '../ports.ts';
import type { ChatAddress, OutgoingMessage } from '../types.ts';
import { linkCommand, whoamiCommand } from './account.ts';
import {
  backtestDoc,
  customTimerangeMessage,
  presetMessage,
  queueBacktest,
  rerunBacktest,
} from './backtest.ts';
import { cancelButton, cancelCommand } from './cancel.ts';
import { compare } from './compare.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';
import { diffStrategy } from './diff.ts';
import { applyEdit, editMessage } from './edit.ts';
import { helpMessage } from './help.ts';
import { confirmImport } from './import.ts';
import {
  latestOptimisation,
  optimiseAgain,
  optimiseButton,
  optimiseCommand,
  saveOptimised,
  submitOptimise,
} from './optimise.ts';
import { robustAgain, robustCommand } from './robust.ts';
import {
  confirmDelete,
  createFromDescription,
  deleteStrategy,
  listStrategies,
  showCode,
  showDoc,
} from './strategies.ts';
import { unlinkCommand } from './unlink.ts';

type Reply = Promise<OutgoingMessage[]>;

/** What routing needs besides the handlers' deps: the agent, and free text as if the trader typed it. */
export type RouteDeps = HandlerDeps & {
  agent: ConversationAgent;
  say(text: string, ctx: HandlerCtx): Reply;
};

export type Router = {
  command(ctx: HandlerCtx, name: string, args: string): Reply;
  action(ctx: HandlerCtx, action: Action): Reply;
  /** A submitted form; forms are built by the core, so an unknown submit is a stale form. */
  form(ctx: HandlerCtx, submit: Action, values: Record<string, string>): Reply;
};

/** One agent thread per person per conversation: in a group, B's "backtest it" must not use A's context. */
// Commands about one strategy, named first in their arguments.
const ABOUT_ONE = new Set(['show', 'backtest', 'robust', 'optimize', 'optimise', 'edit', 'diff']);

export function agentThread(a: ChatAddress): string {
  return [a.platform, a.conversationId, a.threadId, a.userId].filter(Boolean).join(':');
}

/** Every agent thread of one chat identity, in any conversation (see agentThread). */
export function identityThreads(platform: string, userId: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc(platform)}:.*:${esc(userId)}$`);
}

type ActionRoutes = { [N in ActionName]: (action: ActionOf<N>, ctx: HandlerCtx) => Reply };

/** Actions that answer the agent's question or speak to it, so they must not cancel it first. */
const TO_THE_AGENT: ReadonlySet<ActionName> = new Set(['say', 'agentApprove', 'agentDecline']);

export function createRouter(deps: RouteDeps): Router {
  const { strategies } = deps;
  const byId = (ctx: HandlerCtx, id: string) => strategies.getById(ctx.ownerId, id);
  const byName = (ctx: HandlerCtx, name: string) => strategies.getByName(ctx.ownerId, name);
  const one = async (message: OutgoingMessage | Promise<OutgoingMessage>) => [await message];
  // The strategy with its latest result, and its latest optimisation: a trader who left while one
  // ran finds it here. The strategy's card comes last: where only the newest message's buttons can
  // be pressed (a terminal), its Backtest, Edit and Delete must stay pressable.
  const show = async (ctx: HandlerCtx, doc: StrategyDoc) => {
    const optimised = await latestOptimisation(deps, ctx, doc);
    return [...optimised, ...(await showDoc(deps, ctx, doc))];
  };

  const answerAgent = (ctx: HandlerCtx, key: string, approve: boolean) =>
    deps.agent.resume({ threadId: agentThread(ctx.address), ...ctxOf(ctx), key, approve });
  const ctxOf = ({ ownerId, address, correlationId }: HandlerCtx) => ({ ownerId, address, correlationId });

  const actions: ActionRoutes = {
    help: () => one(helpMessage(deps)),
    list: (_, ctx) => listStrategies(deps, ctx),
    cancel: () => one({ text: 'Cancelled; nothing was changed.' }),
    show: async (a, ctx) => show(ctx, await byId(ctx, a.strategyId)),
    code: async (a, ctx) => [showCode(await byId(ctx, a.strategyId))],
    backtest: async (a, ctx) => {
      const doc = await byId(ctx, a.strategyId);
      return a.timerange ? queueBacktest(deps, ctx, doc, a.timerange, undefined) : [presetMessage(deps, doc)];
    },
    cancelBacktest: (a, ctx) => cancelButton(deps, ctx, a.backtestId),
    askTimerange: async (a, ctx) => [customTimerangeMessage(deps, await byId(ctx, a.strategyId))],
    rerun: (a, ctx) => rerunBacktest(deps, ctx, a.backtestId),
    robust: (a, ctx) => robustAgain(deps, ctx, a.backtestId),
    optimise: (a, ctx) => optimiseButton(deps, ctx, a.strategyId),
    // Pressed as a button (a platform without forms asks field by field), it reopens the form.
    optimiseSubmit: (a, ctx) => optimiseButton(deps, ctx, a.strategyId),
    optimiseSave: (a, ctx) => saveOptimised(deps, ctx, a.backtestId),
    optimiseAgain: (a, ctx) => optimiseAgain(deps, ctx, a.backtestId),
    edit: async (a, ctx) => [editMessage(deps, await byId(ctx, a.strategyId))],
    // Pressed as a button (a platform without forms asks field by field), it reopens the form.
    editSubmit: async (a, ctx) => [editMessage(deps, await byId(ctx, a.strategyId))],
    delete: async (a, ctx) => [confirmDelete(await byId(ctx, a.strategyId))],
    deleteConfirm: (a, ctx) => deleteStrategy(deps, ctx, a.strategyId),
    importConfirm: (a, ctx) => confirmImport(deps, ctx, a.importId),
    say: (a, ctx) => deps.say(a.text, ctx),
    agentApprove: (a, ctx) => answerAgent(ctx, a.key, true),
    agentDecline: (a, ctx) => answerAgent(ctx, a.key, false),
  };

  function runAction<N extends ActionName>(action: ActionOf<N> & { name: N }, ctx: HandlerCtx): Reply {
    const handler: (action: ActionOf<N>, ctx: HandlerCtx) => Reply = actions[action.name];
    return handler(action, ctx);
  }

  /** A command or another button supersedes the agent's waiting question; the user is told it was cancelled. */
  const cancelAgentQuestion = (ctx: HandlerCtx) =>
    deps.agent.cancelPending({ threadId: agentThread(ctx.address), ...ctxOf(ctx) });

  async function command(ctx: HandlerCtx, name: string, args: string): Reply {
    switch (name) {
      case 'help':
      case 'start':
        return [helpMessage(deps)];
      case 'new':
        return (await createFromDescription(deps, ctx, args)).messages;
      case 'strategies':
      case 'list':
        return listStrategies(deps, ctx);
      case 'show':
        return show(ctx, await byName(ctx, args));
      case 'backtest': {
        const parsed = parseBacktestArgs(args);
        if (!parsed) throw new AppError('BAD_COMMAND', 'Usage: /backtest <name> [YYYYMMDD-YYYYMMDD] [pairs]');
        return backtestDoc(deps, ctx, await byName(ctx, parsed.name), parsed.timerange, parsed.pairs);
      }
      case 'cancel':
        return cancelCommand(deps, ctx, args);
      case 'robust':
        return robustCommand(deps, ctx, args);
      case 'optimize':
      case 'optimise':
        return optimiseCommand(deps, ctx, args);
      case 'delete':
        return [confirmDelete(await byName(ctx, args))];
      case 'edit':
        return [editMessage(deps, await byName(ctx, args))];
      case 'compare':
        return compare(deps, ctx, args);
      case 'diff':
        return diffStrategy(deps, ctx, args);
      case 'link':
        return linkCommand(deps, ctx);
      case 'unlink':
        return unlinkCommand(deps, ctx, args);
      case 'whoami':
        return whoamiCommand(deps, ctx);
      default:
        throw new AppError(
          'BAD_COMMAND',
          `I don't know the command /${name}. Type /help to see what I can do.`,
        );
    }
  }

  /**
   * After a command about one strategy, "it" in the chat means that strategy. Awaited, so nothing else
   * (a deleted account's clean-up, the next turn) races the write; it never fails the command.
   */
  const focusOn = (ctx: HandlerCtx, name: string) =>
    deps.agent.focusOn({ threadId: agentThread(ctx.address), ...ctxOf(ctx) }, name);

  /**
   * `run`'s replies after the lines saying the agent's question was cancelled; when `run` is refused,
   * the refusal keeps those lines too (the question is gone either way).
   */
  async function afterCancel(ctx: HandlerCtx, run: () => Reply): Promise<OutgoingMessage[]> {
    const cancelled = await cancelAgentQuestion(ctx);
    try {
      return [...cancelled, ...(await run())];
    } catch (err) {
      if (!isAppError(err) || cancelled.length === 0) throw err;
      const said = [...cancelled.map((m) => m.text), err.userMessage].join('\n');
      throw new AppError(err.code, said, { cause: err });
    }
  }

  return {
    command(ctx, name, args) {
      return afterCancel(ctx, async () => {
        if (name === 'new') {
          const created = await createFromDescription(deps, ctx, args);
          await focusOn(ctx, created.name);
          return created.messages;
        }
        const replies = await command(ctx, name, args);
        const named = args.trim().split(/\s+/)[0];
        if (ABOUT_ONE.has(name) && named) await focusOn(ctx, named);
        return replies;
      });
    },
    async action(ctx, action) {
      if (TO_THE_AGENT.has(action.name)) return runAction(action, ctx);
      return afterCancel(ctx, () => runAction(action, ctx));
    },
    async form(ctx, submit, values) {
      if (submit.name === 'editSubmit') return applyEdit(deps, ctx, submit.strategyId, values);
      if (submit.name === 'optimiseSubmit') return submitOptimise(deps, ctx, submit.strategyId, values);
      throw new AppError('BAD_INPUT', 'That form has expired. Open it again.');
    },
  };
}
