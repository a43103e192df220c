// Binds the agent's port (AgentActions) to the core's handlers and services, so every tool the agent
// has ends in the same code a command or a button runs. No logic of the agent lives here.
import { AppError } from '../../errors.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import { strategyMessage } from '../cards.ts';
import type { AgentActions } from '../ports.ts';
import { backtestByName } from './backtest.ts';
import { compare } from './compare.ts';
import type { HandlerDeps } from './deps.ts';
import { helpMessage } from './help.ts';
import { createFromDescription, deleteStrategy, listStrategies, showDoc, view } from './strategies.ts';

export function createAgentActions(deps: HandlerDeps): AgentActions {
  const { strategies, backtests } = deps;
  return {
    create: (ctx, text) => createFromDescription(deps, ctx, text),
    list: (ctx) => listStrategies(deps, ctx),
    backtest: (ctx, name, timerange, pairs) => backtestByName(deps, ctx, name, timerange, pairs),
    help: () => [helpMessage(deps)],
    async show(ctx, name) {
      const doc = name
        ? await strategies.getByName(ctx.ownerId, name)
        : await strategies.mostRecent(ctx.ownerId);
      if (!doc) return [helpMessage(deps, 'You have no strategies yet.')];
      return showDoc(deps, ctx, doc);
    },
    compare: (ctx, first, second) => compare(deps, ctx, `${first} ${second}`),
    async find(ctx, name) {
      const doc = name
        ? await strategies.getByName(ctx.ownerId, name)
        : await strategies.mostRecent(ctx.ownerId);
      if (!doc) return null;
      const spec = isCustom(doc) ? null : strategies.specOf(doc);
      return { id: doc._id.toString(), name: doc.name, version: doc.version, spec };
    },
    async remove(ctx, id, basedOn) {
      const current = await strategies.getById(ctx.ownerId, id);
      if (current.version !== basedOn) {
        throw new AppError(
          'DUPLICATE',
          `${current.name} was changed since I asked (now version ${current.version}). Ask again to delete it.`,
        );
      }
      return deleteStrategy(deps, ctx, id);
    },
    async saveSpec(ctx, id, spec, basedOn) {
      const current = await strategies.getById(ctx.ownerId, id);
      if (current.version !== basedOn) {
        throw new AppError(
          'DUPLICATE',
          `${current.name} was changed since I asked (now version ${current.version}). Ask for the change again.`,
        );
      }
      const updated = await strategies.update(ctx.ownerId, id, spec);
      const msg = strategyMessage(view(updated, strategies));
      msg.text = `Saved ${updated.name} as version ${updated.version}.`;
      return [msg];
    },
    async latestResult(ctx, name) {
      const doc = await strategies.getByName(ctx.ownerId, name);
      const bt = await backtests.latestSucceeded(ctx.ownerId, doc._id);
      if (!bt) {
        return {
          name: doc.name,
          result: null,
          reason: `${doc.name} has no finished backtest yet, so there is nothing to explain. Say "backtest it" first.`,
        };
      }
      return {
        name: doc.name,
        result: {
          timerange: bt.timerange,
          pairs: bt.pairs,
          summary: bt.summary,
          strategyVersion: bt.strategyVersion,
          currentVersion: doc.version,
          diagnosis: bt.diagnosis ?? null,
        },
      };
    },
  };
}
