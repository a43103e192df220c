// What the drafting model is told about the strategy language: the spec's schema as a short outline,
// generated from the zod schema (so the prompt can't drift from what the validator accepts), and worked
// examples read by the offline parser (so the model fills the same defaults and says them back the same way).
import { z } from 'zod';
import { parseStrategyText } from '../src/strategy/parse/offline-parser.ts';
import { DraftSpecSchema, TIMEFRAMES } from '../src/strategy/spec.ts';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

// The timeframe list appears at every series; the outline names it once.
const TIMEFRAME_ENUM = JSON.stringify(TIMEFRAMES);

function range(min: unknown, max: unknown): string {
  if (typeof min === 'number' && typeof max === 'number') return ` ${min}..${max}`;
  if (typeof min === 'number') return ` >=${min}`;
  if (typeof max === 'number') return ` <=${max}`;
  return '';
}

/** One JSON Schema node as a line of TypeScript-like outline, e.g. `{kind: "rsi", period: integer 2..200}`. */
function outline(node: Node): string {
  const fallback = node.default === undefined ? '' : ` = ${JSON.stringify(node.default)}`;
  if (typeof node.$ref === 'string') return node.$ref.replace('#/$defs/', '');
  if ('const' in node) return JSON.stringify(node.const);
  if (JSON.stringify(node.enum) === TIMEFRAME_ENUM) return `Timeframe${fallback}`;
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join('|') + fallback;
  const union = nodes(node.anyOf ?? node.oneOf);
  if (union.length > 0) return union.map(outline).join(' | ') + fallback;
  if (node.type === 'array' && isNode(node.items)) {
    return `[${outline(node.items)}${range(node.minItems, node.maxItems).replace(/^ /, ', items ')}]`;
  }
  if (node.type === 'object' && isNode(node.properties)) {
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    const fields = Object.entries(node.properties)
      .filter((entry): entry is [string, Node] => isNode(entry[1]))
      .map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${outline(value)}`);
    return `{${fields.join(', ')}}`;
  }
  if (node.type === 'object' && isNode(node.additionalProperties)) {
    const keys = isNode(node.propertyNames) ? outline(node.propertyNames) : 'string';
    return `{[${keys}]: ${outline(node.additionalProperties)}}${fallback}`;
  }
  if (node.type === 'string' && typeof node.pattern === 'string')
    return `string /${node.pattern}/${fallback}`;
  if (node.type === 'integer' || node.type === 'number') {
    return `${node.type}${range(node.minimum, node.maximum)}${fallback}`;
  }
  return `${typeof node.type === 'string' ? node.type : 'any'}${fallback}`;
}

/** The spec language as an outline: the spec object, then each shared definition on its own line. */
export function specSchemaText(): string {
  const schema = z.toJSONSchema(DraftSpecSchema, { io: 'input', unrepresentable: 'any' });
  const defs = isNode(schema.$defs) ? Object.entries(schema.$defs).filter(([, v]) => isNode(v)) : [];
  return [
    `Spec = ${outline(schema)}`,
    ...defs.flatMap(([name, def]) => (isNode(def) ? [`${name} = ${outline(def)}`] : [])),
    `Timeframe = ${TIMEFRAMES.map((t) => JSON.stringify(t)).join('|')}`,
  ].join('\n');
}

/**
 * Requests the offline parser reads, one per part of the language the model most often gets wrong: a
 * cross with its usual exit, a bare oscillator, a short-only strategy, a MACD zero-line cross with an ATR
 * stop and a cap on open trades, a volume multiple with a higher-timeframe filter said in passing, a move
 * over a span (a price candles before), and indicators named together with no rule.
 */
const EXAMPLE_REQUESTS = [
  'BTC SMA 20/50 cross on 1h with a 5% stop',
  'eth rsi strategy 4h',
  'short SOL on futures when RSI is above 70, cover below 30',
  'ETH 15m buy when the MACD histogram crosses above zero, stop at 2 ATR, max 3 open trades',
  'buy BTC on 1h when close crosses above the upper bollinger band and volume is 2x its average, while the daily trend is up',
  'XRP daily: buy when price drops 10% in 3 days, take profit 5%',
  'eth 1h bb + rsi mean reversion',
];

/** Each example as the strategy_spec call the parser would make: request, then the call's arguments. */
export function workedExamples(): string {
  return EXAMPLE_REQUESTS.flatMap((request) => {
    const parsed = parseStrategyText(request);
    if (!parsed.ok) return [];
    const { specVersion: _version, ...spec } = parsed.spec;
    const call = { name: parsed.name, spec, assumptions: parsed.assumptions };
    return [`Request: ${request}\nstrategy_spec: ${JSON.stringify(call)}`];
  }).join('\n\n');
}
