// Every button and form action in one table: a readable name, the typed arguments it carries, and the
// short wire code it travels under. Encoding and decoding are derived from the table, and the router
// (handlers/route.ts) must name a handler for each entry, so adding an action is one line here and one
// there. Telegram limits callback_data to 64 bytes: a payload is the wire code and the arguments joined
// by "|", e.g. "bt|<24-hex id>|20240101-20240701". Wire codes never change, so buttons already posted
// in a chat keep working after a release.
import { z } from 'zod';
import { AppError } from '../errors.ts';

const objectId = z.string().regex(/^[a-f0-9]{24}$/);
const agentKey = z.string().regex(/^[A-Za-z0-9_-]{4,24}$/);
const timerange = z.string().regex(/^\d{8}-\d{8}$/);

/** One row of the table: the action's name, its wire code and its arguments as a strict schema. */
function row<const N extends string, S extends z.ZodRawShape>(name: N, wire: string, args: S) {
  return { name, wire, args: Object.keys(args), schema: z.strictObject({ name: z.literal(name), ...args }) };
}

/**
 * The table. Arguments are encoded in the order written; only the last may be optional, and only the
 * last may contain "|" (free text).
 */
const ACTIONS = [
  row('help', 'help', {}),
  row('list', 'list', {}),
  /** Dismisses a question; nothing changes. */
  row('cancel', 'cancel', {}),
  row('show', 'show', { strategyId: objectId }),
  row('code', 'code', { strategyId: objectId }),
  /** Without a timerange: offer the preset ranges. */
  row('backtest', 'bt', { strategyId: objectId, timerange: timerange.optional() }),
  /** Asks for a custom timerange. */
  row('askTimerange', 'btask', { strategyId: objectId }),
  row('rerun', 'rerun', { backtestId: objectId }),
  /** Cancels a queued or running backtest (its progress message's Cancel button). */
  row('cancelBacktest', 'btx', { backtestId: objectId }),
  /** A robustness report over a finished backtest's (or report's) range and pairs. */
  row('robust', 'rob', { backtestId: objectId }),
  /** Opens the optimisation form; `optimiseSubmit` queues it; `optimiseSave` keeps what it found. */
  row('optimise', 'opt', { strategyId: objectId }),
  row('optimiseSubmit', 'optok', { strategyId: objectId }),
  row('optimiseSave', 'optsave', { backtestId: objectId }),
  /** The form again, filled in with an optimisation's own settings and range. */
  row('optimiseAgain', 'optre', { backtestId: objectId }),
  /** Opens the edit form; `editSubmit` is that form's submit. */
  row('edit', 'edit', { strategyId: objectId }),
  row('editSubmit', 'editok', { strategyId: objectId }),
  /** Asks before deleting; `deleteConfirm` deletes. */
  row('delete', 'del', { strategyId: objectId }),
  row('deleteConfirm', 'delok', { strategyId: objectId }),
  /** Replaces a strategy with pasted code held as a pending import (handlers/import.ts). */
  row('importConfirm', 'impok', { importId: objectId }),
  /** Says the text as if the trader typed it (the help card's suggestions). */
  row('say', 'say', { text: z.string().min(1).max(60) }),
  /** The agent's Confirm/Cancel: the key names the question waiting in the conversation's checkpoint. */
  row('agentApprove', 'agok', { key: agentKey }),
  row('agentDecline', 'agno', { key: agentKey }),
] as const;

/** One action with its arguments, e.g. `{ name: 'backtest', strategyId, timerange }`. */
export type Action = z.infer<(typeof ACTIONS)[number]['schema']>;
export type ActionName = Action['name'];
/** The action called `N`. */
export type ActionOf<N extends ActionName> = Extract<Action, { name: N }>;

const ActionSchema = z.union(ACTIONS.map((r) => r.schema));
const BY_NAME = new Map<string, (typeof ACTIONS)[number]>(ACTIONS.map((r) => [r.name, r]));
const BY_WIRE = new Map<string, (typeof ACTIONS)[number]>(ACTIONS.map((r) => [r.wire, r]));

const MAX_BYTES = 64;
/** The payload for a button or a form's submit; AppError INTERNAL when it would not fit in 64 bytes. */
export function encodeAction(action: Action): string {
  // Only what decodes may be sent: the table's own schema checks the arguments first.
  if (!ActionSchema.safeParse(action).success) {
    throw new AppError('INTERNAL', 'That button could not be built.', {
      detail: `button arguments do not fit the table: ${JSON.stringify(action)}`,
    });
  }
  const entry = BY_NAME.get(action.name);
  if (!entry) throw new AppError('INTERNAL', 'That button could not be built.', { detail: action.name });
  const values: Record<string, unknown> = { ...action };
  const parts = [entry.wire, ...entry.args.map((arg) => String(values[arg] ?? ''))];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const encoded = parts.join('|');
  if (Buffer.byteLength(encoded, 'utf8') > MAX_BYTES) {
    throw new AppError('INTERNAL', 'That button could not be built.', {
      detail: `button payload over ${MAX_BYTES} bytes: ${encoded}`,
    });
  }
  return encoded;
}

/** The action a payload names; AppError BAD_INPUT for anything the table does not describe. */
export function decodeAction(payload: string): Action {
  const expired = new AppError('BAD_INPUT', 'That button has expired. Try the command again.');
  const [wire = '', ...rest] = payload.split('|');
  const entry = BY_WIRE.get(wire);
  if (!entry) throw expired;
  const { args } = entry;
  if (args.length === 0 && rest.length > 0) throw expired;
  const candidate: Record<string, string> = { name: entry.name };
  args.forEach((arg, i) => {
    // The last argument takes the rest, so free text may hold "|".
    const value = i === args.length - 1 ? rest.slice(i).join('|') : rest[i];
    if (value !== undefined && value !== '') candidate[arg] = value;
  });
  const parsed = ActionSchema.safeParse(candidate);
  if (!parsed.success) throw expired;
  return parsed.data;
}
