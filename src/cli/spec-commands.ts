// The commands that need no engine: `render` (spec JSON -> Python via the renderer) and `parse`
// (plain words -> spec via the offline parser).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderStrategy } from '../../freqtrade/render.ts';
import { parseStrategyText } from '../strategy/parse/offline-parser.ts';
import { normalizeStrategyName, strategyClassName, validateSpec } from '../strategy/spec.ts';
import { EXIT, type ExitCode } from './usage.ts';

export type Output = { out(text: string): void; err(text: string): void };

export async function renderCommand(file: string, name: string | undefined, io: Output): Promise<ExitCode> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    io.err(`gentrade: cannot read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.refused;
  }
  const checked = validateSpec(raw);
  if (!checked.ok) {
    for (const error of checked.errors) io.err(`gentrade: ${error}`);
    return EXIT.refused;
  }
  const strategyName = normalizeStrategyName(name ?? path.basename(file).replace(/\.[^.]*$/, ''));
  io.out(renderStrategy(checked.spec, { name: strategyName, className: strategyClassName(strategyName) }));
  return EXIT.ok;
}

export function parseCommand(text: string, io: Output): ExitCode {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) {
    io.err(`gentrade: ${parsed.reason}`);
    return EXIT.refused;
  }
  io.out(`${JSON.stringify({ name: parsed.name, spec: parsed.spec }, null, 2)}\n`);
  return EXIT.ok;
}
