// Proposes a changed spec for an edit request. With a model: the model returns the whole changed spec
// through a tool; validation errors go back to it, at most 3 tries. Without a model, or when it fails to
// answer at all, the offline parser handles the simple edits. The result is always a validated spec.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DraftSpecSchema, type StrategySpec, validateSpec } from '../../src/strategy/spec.ts';
import { proposeEditOffline } from '../intent/edit-parse.ts';
import { EDIT_SYSTEM } from '../prompts.ts';

const MAX_REPAIRS = 3;

export type ProposedEdit = { ok: true; spec: StrategySpec } | { ok: false; message: string };

const CHANGED_SPEC_TOOL = {
  type: 'function' as const,
  function: {
    name: 'changed_spec',
    description: 'The whole strategy spec with the requested change applied.',
    parameters: z.toJSONSchema(z.object({ spec: DraftSpecSchema }), { io: 'input', unrepresentable: 'any' }),
  },
};

const SpecArgs = z.object({ spec: z.unknown() });

async function withModel(
  model: BaseChatModel,
  spec: StrategySpec,
  change: string,
  logger: Logger,
): Promise<ProposedEdit | null> {
  if (!model.bindTools) return null;
  const bound = model.bindTools([CHANGED_SPEC_TOOL], { tool_choice: 'changed_spec' });
  const messages: BaseMessage[] = [
    new SystemMessage(EDIT_SYSTEM),
    new HumanMessage(`Current spec: ${JSON.stringify(spec)}\nChange: ${change}`),
  ];
  let errors: string[] = [];
  for (let attempt = 1; attempt <= MAX_REPAIRS; attempt++) {
    const ai = await bound.invoke(messages);
    const call = ai.tool_calls?.[0];
    const args = SpecArgs.safeParse(call?.args);
    if (!call || !args.success) {
      // Garbage (no call, unreadable arguments): not worth repairing; the offline parser may still help.
      logger.warn({ attempt }, 'model edit returned no usable tool call');
      return null;
    }
    const checked = validateSpec(args.data.spec);
    if (checked.ok) return { ok: true, spec: checked.spec };
    errors = checked.errors;
    logger.info({ attempt, errors }, 'model edit invalid; asking it to repair');
    messages.push(
      ai,
      new ToolMessage({
        tool_call_id: call.id ?? 'call',
        content: `Invalid spec: ${errors.join('; ')}. Fix these fields and call changed_spec again.`,
      }),
    );
  }
  return {
    ok: false,
    message: `I couldn't turn that into a valid strategy after ${MAX_REPAIRS} tries. The last problems: ${errors.join('; ')}. Nothing was changed.`,
  };
}

export async function proposeEdit(
  deps: { model: BaseChatModel | undefined; logger: Logger },
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
  const checked = validateSpec(offline.candidate);
  if (!checked.ok)
    return {
      ok: false,
      message: `That change isn't valid: ${checked.errors.join('; ')}. Nothing was changed.`,
    };
  return { ok: true, spec: checked.spec };
}
