// /diff <name> [v1] [v2]: what changed between two versions of a strategy. Without versions, the
// previous one against the current one; with one, that version against the current one.
import { AppError } from '../../errors.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import { codeDiff, specChanges } from '../diff.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';

/** The usage, its example naming the trader's own strategy when they named one. */
const usage = (name = 'btc-sma-20-50-1h') =>
  `Usage: /diff <name> [version] [version], e.g. /diff ${name} 1 3`;
const MAX_SPEC_LINES = 30;

function versionArg(token: string, name: string): number {
  const m = /^v?(\d{1,6})$/i.exec(token);
  if (!m?.[1]) throw new AppError('BAD_COMMAND', `"${token}" is not a version number. ${usage(name)}`);
  return Number(m[1]);
}

function customLine(before: unknown, after: unknown): string {
  if (before == null && after == null) return 'Custom code: the changes are in the code diff.';
  return before == null
    ? 'The earlier version is custom code, the later one is built from a spec.'
    : 'The earlier version is built from a spec, the later one is custom (imported) code.';
}

export async function diffStrategy(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  args: string,
): Promise<OutgoingMessage[]> {
  const [name, ...rest] = args.trim().split(/\s+/).filter(Boolean);
  if (!name || rest.length > 2) throw new AppError('BAD_COMMAND', usage(name));
  const doc = await deps.strategies.getByName(ctx.ownerId, name);
  const numbers = rest.map((token) => versionArg(token, doc.name));
  if (numbers.length === 0 && doc.version === 1) {
    const how = isCustom(doc) ? 'paste a new version of its code' : '/edit it';
    return [{ text: `${doc.name} has only one version so far; ${how} to make another.` }];
  }
  const [from = doc.version - 1, to = doc.version] = numbers;
  const [a, b] = await Promise.all([deps.strategies.version(doc, from), deps.strategies.version(doc, to)]);
  // Custom (imported) versions have no spec: their changes are all in the code.
  const custom = a.spec == null || b.spec == null;
  const changes = custom ? [] : specChanges(a.spec, b.spec);
  const code = codeDiff(`${doc.className}.py`, a, b);
  if (changes.length === 0 && code === '') {
    return [{ text: `${doc.name} v${a.version} and v${b.version} are the same.` }];
  }
  const shown = changes.slice(0, MAX_SPEC_LINES);
  const more = changes.length - shown.length;
  const lines = [
    `${doc.name}: v${a.version} → v${b.version}`,
    ...(custom
      ? [customLine(a.spec, b.spec)]
      : changes.length > 0
        ? ['Spec changes:', ...shown.map((l) => `  ${l}`)]
        : ['The spec is the same.']),
    ...(more > 0 ? [`  … and ${more} more`] : []),
  ];
  const message: OutgoingMessage = { text: lines.join('\n') };
  if (code) {
    message.code = {
      language: 'diff',
      content: code,
      filename: `${doc.name}-v${a.version}-v${b.version}.diff`,
    };
  }
  return [message];
}
