// The agent's typed tools: one zod input schema each (agents/intent/schema.ts), offered to the model as
// function definitions, and run through the AgentActions port only. Delete and edit don't act: they
// propose, and `commit` carries the change out once the user confirmed it.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AgentActions } from '../../src/core/ports.ts';
import { TOOL_DESCRIPTIONS, TOOL_INPUTS, TOOL_NAMES } from '../intent/schema.ts';
import type { AgentModel } from '../model.ts';
import { editTool } from './edit-tool.ts';
import { backtestTool, compareTool, explainTool } from './result-tools.ts';
import { createTool, deleteTool, showTool } from './strategy-tools.ts';
import type { AgentTools, ToolDefinition } from './types.ts';

function definitions(): ToolDefinition[] {
  return TOOL_NAMES.map((name) => ({
    type: 'function',
    function: {
      name,
      description: TOOL_DESCRIPTIONS[name],
      parameters: z.toJSONSchema(TOOL_INPUTS[name], { io: 'input', unrepresentable: 'any' }),
    },
  }));
}

export function createAgentTools(deps: {
  actions: AgentActions;
  model: AgentModel | undefined;
  logger: Logger;
}): AgentTools {
  const { actions } = deps;
  return {
    definitions: definitions(),
    async run(intent, turn) {
      switch (intent.tool) {
        case 'help':
          return { replies: actions.help() };
        case 'list_strategies':
          return { replies: await actions.list(turn.ctx) };
        case 'create_strategy':
          return createTool(actions, turn.ctx, intent.args.description);
        case 'show_strategy':
          return showTool(actions, turn, intent.args.name);
        case 'delete_strategy':
          return deleteTool(actions, turn, intent.args.name);
        case 'backtest_strategy':
          return backtestTool(actions, turn, intent.args);
        case 'compare_strategies':
          return compareTool(actions, turn, intent.args);
        case 'explain_result':
          return explainTool(deps, turn, intent.args);
        case 'edit_strategy':
          return editTool(deps, turn, intent.args);
      }
    },
    async commit(pending, ctx) {
      if (pending.kind === 'delete')
        return { replies: await actions.remove(ctx, pending.id, pending.version), focus: null };
      return {
        replies: await actions.saveSpec(ctx, pending.id, pending.spec, pending.version),
        focus: pending.name,
      };
    },
  };
}
