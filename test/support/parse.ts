// The offline parser's two outcomes as test helpers: the reading of a text the test expects built, or the
// question of one it expects asked about; either throws, naming the text, when the other happens.
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';

export function parsed(text: string) {
  const result = parseStrategyText(text);
  if (!result.ok) throw new Error(`refused "${text}": ${result.reason}`);
  return result;
}

export function refused(text: string): string {
  const result = parseStrategyText(text);
  if (result.ok) throw new Error(`read "${text}" as ${JSON.stringify(result.spec)}`);
  return result.reason;
}
