// One typed codec for button payloads. Telegram limits callback_data to 64 bytes, so payloads are a
// short verb plus compact arguments, e.g. "bt|<24-hex id>|<timerange>". Parsed with zod on the way in.
import { z } from 'zod';
import { AppError } from '../errors.ts';

const objectId = z.string().regex(/^[a-f0-9]{24}$/);
const agentKey = z.string().regex(/^[A-Za-z0-9_-]{4,24}$/);

const ActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('help') }),
  z.object({ verb: z.literal('list') }),
  z.object({ verb: z.literal('show'), strategyId: objectId }),
  z.object({ verb: z.literal('code'), strategyId: objectId }),
  z.object({
    verb: z.literal('bt'),
    strategyId: objectId,
    timerange: z
      .string()
      .regex(/^\d{8}-\d{8}$/)
      .optional(),
  }),
  z.object({ verb: z.literal('rerun'), backtestId: objectId }),
  z.object({ verb: z.literal('edit'), strategyId: objectId }),
  z.object({ verb: z.literal('editok'), strategyId: objectId }),
  z.object({ verb: z.literal('btask'), strategyId: objectId }),
  z.object({ verb: z.literal('del'), strategyId: objectId }),
  z.object({ verb: z.literal('delok'), strategyId: objectId }),
  z.object({ verb: z.literal('cancel') }),
  // Confirms replacing a strategy with pasted code held as a pending import (src/core/handlers/import.ts).
  z.object({ verb: z.literal('impok'), importId: objectId }),
  z.object({ verb: z.literal('say'), text: z.string().min(1).max(60) }),
  // The agent's Confirm/Cancel: the key names the question waiting in the conversation's checkpoint.
  z.object({ verb: z.literal('agok'), key: agentKey }),
  z.object({ verb: z.literal('agno'), key: agentKey }),
]);
export type ButtonAction = z.infer<typeof ActionSchema>;

const MAX_BYTES = 64;

export function encodeAction(action: ButtonAction): string {
  const parts: string[] = [action.verb];
  switch (action.verb) {
    case 'help':
    case 'list':
    case 'cancel':
      break;
    case 'bt':
      parts.push(action.strategyId);
      if (action.timerange) parts.push(action.timerange);
      break;
    case 'say':
      parts.push(action.text);
      break;
    case 'rerun':
      parts.push(action.backtestId);
      break;
    case 'impok':
      parts.push(action.importId);
      break;
    case 'agok':
    case 'agno':
      parts.push(action.key);
      break;
    default:
      parts.push(action.strategyId);
  }
  const encoded = parts.join('|');
  if (Buffer.byteLength(encoded, 'utf8') > MAX_BYTES) {
    throw new AppError('INTERNAL', 'That button could not be built.', {
      detail: `button payload over ${MAX_BYTES} bytes: ${encoded}`,
    });
  }
  return encoded;
}

export function decodeAction(payload: string): ButtonAction {
  const [verb, a, b] = payload.split('|');
  const candidate: Record<string, unknown> = { verb };
  if (verb === 'say') candidate.text = payload.slice(4);
  else if (verb === 'bt') Object.assign(candidate, { strategyId: a, timerange: b });
  else if (verb === 'rerun') candidate.backtestId = a;
  else if (verb === 'impok') candidate.importId = a;
  else if (verb === 'agok' || verb === 'agno') candidate.key = a;
  else if (a !== undefined) candidate.strategyId = a;
  const parsed = ActionSchema.safeParse(candidate);
  if (!parsed.success) throw new AppError('BAD_INPUT', 'That button has expired. Try the command again.');
  return parsed.data;
}
