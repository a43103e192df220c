// Importing a trader's own Freqtrade strategy: code pasted in a message (a fenced block or a whole
// file) or attached as a .py file goes through the validation pipeline (static policy, load check,
// smoke backtest, zero-trade diagnosis) and, if accepted, is saved as a custom-code strategy. Nothing
// is stored for rejected code; replacing a strategy of the same name waits for a Confirm button.
import { AppError } from '../../errors.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import type { StrategyDoc } from '../../storage/models.ts';
import { normalizeStrategyName } from '../../strategy/spec.ts';
import type { StrategyVerdict } from '../../strategy/verdict.ts';
import { encodeAction } from '../actions.ts';
import { strategyMessage } from '../cards.ts';
import { MAX_IMPORT_BYTES } from '../import-limit.ts';
import { requireSandboxFor } from '../sandbox.ts';
import type { InboundAttachment, OutgoingMessage } from '../types.ts';
import { askerOf, type HandlerCtx, type HandlerDeps } from './deps.ts';
import { extractStrategyCode, splitClassName, staticTimeframe, strategyClassOf } from './import-extract.ts';
import { view } from './strategies.ts';

const MAX_VIOLATIONS = 15;
const DEFAULT_PAIRS = ['BTC/USDT'];

/**
 * What imports need beyond the handlers' usual deps; absent where no engine runs (unit tests).
 * `sandbox` is the local engine's report; pasted code is refused where it has no OS sandbox.
 */

type Found = { code: string; prose: string };

function tooLarge(bytes: number, what: string): AppError {
  const kb = Math.ceil(bytes / 1024);
  return new AppError(
    'BAD_INPUT',
    `${what} is ${kb} KB; I can import strategies up to ${MAX_IMPORT_BYTES / 1024} KB. Remove unused code and try again.`,
  );
}

function decode(bytes: Uint8Array, filename: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${filename} isn't UTF-8 text, so it can't be a Python strategy.`, {
      cause: err,
    });
  }
}

async function download(file: InboundAttachment): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES) throw tooLarge(file.size, file.filename);
  const bytes = await file.fetch();
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw tooLarge(bytes.byteLength, file.filename);
  return decode(bytes, file.filename);
}

/** The code to import: a .py attachment, a text attachment holding a strategy, or the message text. */
async function findCode(text: string, attachments: InboundAttachment[]): Promise<Found | null> {
  const py = attachments.find((a) => /\.py$/i.test(a.filename));
  if (py) return { code: await download(py), prose: text };
  // Discord turns long pastes into a message.txt attachment.
  const txt = attachments.find((a) => /\.txt$/i.test(a.filename) && a.size <= MAX_IMPORT_BYTES);
  if (txt) {
    const inFile = extractStrategyCode(await download(txt));
    if (inFile) return { code: inFile.code, prose: text };
  }
  const found = extractStrategyCode(text);
  if (!found) return null;
  const bytes = Buffer.byteLength(found.code, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) throw tooLarge(bytes, 'That code');
  return found;
}

/** Pairs the trader named around the code ("import this for ETH and SOL"), among pairs with data. */
function namedPairs(deps: HandlerDeps, prose: string): string[] {
  if (!prose.trim()) return [];
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return deps.catalog.pairs().filter((pair) => {
    if (deps.catalog.timeframesFor(pair).length === 0) return false;
    const base = pair.split('/')[0] ?? pair;
    const re = new RegExp(`(?:^|[^A-Za-z0-9])(?:${quote(pair)}|${quote(base)})(?![A-Za-z0-9])`, 'i');
    return re.test(prose);
  });
}

function days(timerange: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/.exec(timerange);
  if (!m) return null;
  const [, y1, m1, d1, y2, m2, d2] = m.map(Number);
  if (y1 === undefined || y2 === undefined || m1 === undefined || m2 === undefined) return null;
  return Math.round((Date.UTC(y2, m2 - 1, d2 ?? 1) - Date.UTC(y1, m1 - 1, d1 ?? 1)) / 86_400_000);
}

/** "Loads in Freqtrade; 12 trades on the last 30 days of data (20251201-20251231, BTC/USDT)." */
function smokeLine(verdict: Extract<StrategyVerdict, { accepted: true }>): string {
  const smoke = verdict.smoke;
  if (!smoke) return 'Loads in Freqtrade.';
  const n = days(smoke.timerange);
  const span = `the last ${n ?? 30} days of data (${smoke.timerange}, ${smoke.pairs.join(', ')})`;
  if (smoke.trades > 0) {
    return `Loads in Freqtrade; ${smoke.trades} trade${smoke.trades === 1 ? '' : 's'} on ${span}.`;
  }
  return `Loads in Freqtrade, but made no trades on ${span}.${verdict.diagnosis ? ` ${verdict.diagnosis}` : ''}`;
}

/** The smoke line, then one line per setting GenTrade filled in ("The strategy sets no stoploss; ..."). */
function verdictLines(verdict: Extract<StrategyVerdict, { accepted: true }>): string {
  return [smokeLine(verdict), ...(verdict.notes ?? [])].join('\n');
}

/** "line 3: Importing os is not allowed. (forbidden-import)", one line per violation. */
function rejectionMessage(verdict: Extract<StrategyVerdict, { accepted: false }>): OutgoingMessage {
  const shown = verdict.violations.slice(0, MAX_VIOLATIONS);
  const more = verdict.violations.length - shown.length;
  return {
    text: [
      `I can't import that code: it was rejected at the ${verdict.stage} stage, and nothing was saved.`,
      ...shown.map((v) => `${v.line === null ? '' : `line ${v.line}: `}${v.message} (${v.rule})`),
      ...(more > 0 ? [`… and ${more} more`] : []),
      'Fix it and paste it again.',
    ].join('\n'),
  };
}

function card(deps: HandlerDeps, doc: StrategyDoc, text: string): OutgoingMessage {
  const msg = strategyMessage(view(doc, deps.strategies));
  msg.text = text;
  return msg;
}

/**
 * Imports the strategy code a message carries. Resolves null when the message holds no code (it is
 * ordinary chat), otherwise with the reply: a strategy card, a rejection, or a question to replace.
 */
export async function importFromMessage(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  text: string,
  attachments: InboundAttachment[] = [],
): Promise<OutgoingMessage[] | null> {
  const found = await findCode(text, attachments);
  if (!found) return null;
  if (!deps.validator) {
    throw new AppError(
      'CONFIG',
      'Importing strategies needs a Freqtrade engine (the local one, or the Docker runner), which this bot is not running.',
    );
  }
  // Before the code reaches the engine at all: validation loads it and runs a smoke backtest.
  await requireSandboxFor('import', deps.sandbox);
  const named = namedPairs(deps, found.prose);
  const pairs = named.length > 0 ? named : DEFAULT_PAIRS;
  const verdict = await deps.validator.validate(found.code, { pairs, correlationId: ctx.correlationId });
  if (!verdict.accepted) return [rejectionMessage(verdict)];
  const className = verdict.className ?? strategyClassOf(found.code);
  const timeframe = verdict.timeframe ?? staticTimeframe(found.code);
  if (!className || !timeframe) {
    throw new AppError('BAD_INPUT', 'I could not tell the strategy class or its timeframe from that code.');
  }
  const code = { className, code: found.code, timeframe, pairs };
  const name = normalizeStrategyName(splitClassName(className));
  const line = verdictLines(verdict);
  const existing = await deps.strategies.findByName(ctx.ownerId, name);
  if (existing) return [await askReplace(deps, ctx, existing, code, line)];
  const doc = await deps.strategies.createCustom(
    ctx.ownerId,
    { ...code, name, description: `Imported Freqtrade strategy ${className}` },
    askerOf(ctx),
  );
  await deps.strategies.touch(ctx.ownerId, doc._id);
  return [card(deps, doc, `Imported ${doc.name} as custom code. ${line}`)];
}

async function askReplace(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  existing: StrategyDoc,
  code: { className: string; code: string; timeframe: string; pairs: string[] },
  line: string,
): Promise<OutgoingMessage> {
  if (!deps.imports) throw new AppError('CONFIG', 'Replacing strategies is not available here.');
  const id = await deps.imports.hold(ctx.ownerId, {
    ...code,
    strategyId: existing._id.toString(),
    basedOn: existing.version,
  });
  const kind = isCustom(existing) ? 'custom code' : 'built from a description';
  return {
    text: `You already have ${existing.name} (v${existing.version}, ${kind}). Replace it with the pasted code as version ${existing.version + 1}? v${existing.version} is kept. ${line}`,
    buttons: [
      {
        label: `Replace ${existing.name}`,
        action: encodeAction({ name: 'importConfirm', importId: id }),
        style: 'primary',
      },
      { label: 'Keep it', action: encodeAction({ name: 'cancel' }) },
    ],
  };
}

/** The Confirm press on "replace it?": saves the held code as the strategy's next version. */
export async function confirmImport(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  importId: string,
): Promise<OutgoingMessage[]> {
  const pending = await deps.imports?.take(ctx.ownerId, importId);
  if (!pending) {
    throw new AppError(
      'NOT_FOUND',
      'That replacement has expired or was already done. Paste the code again.',
    );
  }
  const doc = await deps.strategies.replaceCode(ctx.ownerId, pending.strategyId, pending, pending.basedOn);
  await deps.strategies.touch(ctx.ownerId, doc._id);
  return [
    card(
      deps,
      doc,
      `Replaced ${doc.name} with the pasted code as version ${doc.version}; v${doc.version - 1} is kept (/diff ${doc.name} shows the changes).`,
    ),
  ];
}
