// Proposes a changed spec for an edit request. With a model: the model returns the whole changed spec
// through a tool; validation errors go back to it, at most 3 tries (agents/repair.ts). Without a model,
// or when it fails to answer at all, the offline parser handles the simple edits. The result is always
// a validated spec.
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DraftSpecSchema, type StrategySpec, validateSpec } from '../../src/strategy/spec.ts';
import { proposeEditOffline } from '../intent/edit-parse.ts';
import type { AgentModel } from '../model.ts';
import { EDIT_SYSTEM } from '../prompts.ts';
import { generateWithRepairs } from '../repair.ts';
import type { ToolDefinition } from './types.ts';

/** A validated spec; `unchanged` says what was asked that the strategy already is (offline edits only). */
export type ProposedEdit =
  | { ok: true; spec: StrategySpec; unchanged?: string[] }
  | { ok: false; message: string };

const CHANGED_SPEC_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: 'changed_spec',
    description: 'The whole strategy spec with the requested change applied.',
    parameters: z.toJSONSchema(z.object({ spec: DraftSpecSchema }), { io: 'input', unrepresentable: 'any' }),
  },
};

const SpecArgs = z.object({ spec: z.unknown() });

const tries = (n: number) => (n === 1 ? '1 try' : `${n} tries`);

async function withModel(
  model: AgentModel,
  spec: StrategySpec,
  change: string,
  logger: Logger,
): Promise<ProposedEdit | null> {
  const outcome = await generateWithRepairs<StrategySpec>({
    model,
    tool: CHANGED_SPEC_TOOL,
    messages: [
      new SystemMessage(EDIT_SYSTEM),
      new HumanMessage(`Current spec: ${JSON.stringify(spec)}\nChange: ${change}`),
    ],
    logger,
    async judge(args) {
      // Unreadable arguments are not worth repairing; the offline parser may still help.
      const parsed = SpecArgs.safeParse(args);
      if (!parsed.success) return null;
      const checked = validateSpec(parsed.data.spec);
      if (checked.ok) return { ok: true, value: checked.spec };
      return {
        ok: false,
        problems: checked.errors,
        feedback: `Invalid spec: ${checked.errors.join('; ')}. Fix these fields and call changed_spec again.`,
      };
    },
  });
  if (!outcome) return null;
  if (outcome.ok) return { ok: true, spec: outcome.value };
  return {
    ok: false,
    message: `I couldn't turn that into a valid strategy after ${tries(outcome.tries)}. The last problems: ${outcome.problems.join('; ')}. Nothing was changed.`,
  };
}

export async function proposeEdit(
  deps: { model: AgentModel | undefined; logger: Logger },
  spec: StrategySpec,
  change: string,
): Promise<ProposedEdit> {
  let fromModel: ProposedEdit | null = null;
  if (deps.model) {
    try {
      fromModel = await withModel(deps.model, spec, change, deps.logger);
    } catch (err) {
      deps.logger.warn({ err }, 'model edit failed; using the offline parser');
    }
  }
  if (fromModel?.ok) return fromModel;
  const offline = proposeEditOffline(spec, change);
  if (!offline.ok) return fromModel ?? { ok: false, message: offline.reason };
  // What is validated is what gets stored: a JSON copy has no undefined-valued keys, which storage would
  // keep as null (a removed trailing stop stored as `trailingStop: null` broke the strategy).
  const stored: unknown = JSON.parse(JSON.stringify(offline.candidate));
  const checked = validateSpec(stored);
  if (!checked.ok)
    return {
      ok: false,
      message: `That change isn't valid: ${checked.errors.join('; ')}. Nothing was changed.`,
    };
  return { ok: true, spec: checked.spec, unchanged: offline.unchanged };
}
