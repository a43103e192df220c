// Drafts a StrategySpec from a description: the model's structured output when one is configured,
// the deterministic offline parser otherwise, or when the model is unreachable or answers nonsense.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SpecDrafter } from '../src/core/ports.ts';
import { AppError } from '../src/errors.ts';
import { parseStrategyText } from '../src/strategy/offline-parser.ts';
import { DraftSpecSchema, validateSpec } from '../src/strategy/spec.ts';
import { DRAFT_SYSTEM } from './prompts.ts';

const DraftSchema = z.object({
  name: z.string().describe('kebab-case strategy name'),
  spec: DraftSpecSchema,
});

function offline(description: string) {
  const parsed = parseStrategyText(description);
  if (!parsed.ok) throw new AppError('PARSE_FAILED', parsed.reason);
  return { spec: parsed.spec, name: parsed.name };
}

export function createSpecDrafter(deps: { model: BaseChatModel | undefined; logger: Logger }): SpecDrafter {
  return {
    async draft(description, ctx) {
      const text = description.trim();
      if (!text) return offline(text);
      if (!deps.model) return offline(text);
      const log = deps.logger.child({ correlationId: ctx.correlationId });
      try {
        const structured = deps.model.withStructuredOutput(DraftSchema, {
          name: 'strategy_spec',
          // Non-strict function calling: OpenAI's strict mode refuses records and optional fields.
          method: 'functionCalling',
        });
        const out = await structured.invoke([
          { role: 'system', content: DRAFT_SYSTEM },
          { role: 'user', content: text },
        ]);
        // The draft was read with the version-2 field shapes (defaults filled in), so it is a version-2 spec
        // whatever specVersion the model wrote.
        const checked = validateSpec({ ...out.spec, specVersion: 2 });
        if (checked.ok) return { spec: checked.spec, name: out.name };
        log.warn({ errors: checked.errors }, 'model draft invalid; using offline parser');
      } catch (err) {
        log.warn({ err }, 'model draft failed; using offline parser');
      }
      return offline(text);
    },
  };
}
