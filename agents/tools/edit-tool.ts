// The edit tool: proposes a changed spec (model or offline parser, always validated) and, when it differs,
// asks the user to confirm before a new version is saved.
import type { Logger } from 'pino';
import type { AgentActions } from '../../src/core/ports.ts';
import type { AgentModel } from '../model.ts';
import { describeChanges } from './edit-diff.ts';
import { proposeEdit } from './edit-propose.ts';
import { NO_STRATEGIES, noted, questionKey, resolveTarget } from './strategy-tools.ts';
import type { ToolOutcome, ToolTurn } from './types.ts';

export async function editTool(
  deps: { actions: AgentActions; model: AgentModel | undefined; logger: Logger },
  turn: ToolTurn,
  args: { name: string | null; change: string },
): Promise<ToolOutcome> {
  const target = await resolveTarget(deps.actions, turn, args.name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  const spec = target.spec;
  if (!spec) {
    const text = `${target.name} is custom Freqtrade code, so I can't change it from words. Paste the new version of the code to replace it.`;
    return { replies: noted(target, [{ text }]), focus: target.name };
  }
  const log = deps.logger.child({ correlationId: turn.ctx.correlationId });
  const proposed = await proposeEdit({ model: deps.model, logger: log }, spec, args.change);
  if (!proposed.ok) return { replies: noted(target, [{ text: proposed.message }]), focus: target.name };
  const changes = describeChanges(spec, proposed.spec);
  if (changes.length === 0) {
    const why = proposed.unchanged?.length ? proposed.unchanged.join(' and ') : 'is already set up that way';
    return {
      replies: noted(target, [{ text: `${target.name} ${why}; nothing to change.` }]),
      focus: target.name,
    };
  }
  return {
    replies: noted(target, []),
    focus: target.name,
    pending: {
      kind: 'edit',
      key: questionKey(),
      id: target.id,
      name: target.name,
      version: target.version,
      askedAt: Date.now(),
      spec: proposed.spec,
      changes,
    },
  };
}
