// Python text for the generated strategy: number literals, condition expressions and the one piece of
// free text (the strategy name), which is reduced to safe characters before it reaches a comment or a
// docstring so no name can close the docstring or start a new line of code.
import type { Condition } from '../../src/strategy/spec.ts';
import { describeSeries, seriesExpr } from './series.ts';

/** A float literal: integers get `.0` so ratios always read as ratios (`10.0`, `-0.05`). */
export function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** A numeric literal exactly as the spec wrote it (`30`, `25.5`). */
function pyNumber(value: number): string {
  return String(value);
}

const SAFE_TEXT_MAX = 64;

/** Keeps letters, digits, space, dot, slash, underscore and dash; everything else becomes a dash. */
export function safeText(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9 ./_-]/g, '-')
    .slice(0, SAFE_TEXT_MAX)
    .trim();
  return cleaned === '' ? 'unnamed' : cleaned;
}

function rightExpr(condition: Condition): string {
  return typeof condition.right === 'number' ? pyNumber(condition.right) : seriesExpr(condition.right);
}

/** A boolean Series expression for one condition, parenthesised so it can be joined with `&`. */
export function conditionExpr(condition: Condition): string {
  const left = seriesExpr(condition.left);
  const right = rightExpr(condition);
  switch (condition.op) {
    case 'crosses_above':
      return `qtpylib.crossed_above(${left}, ${right})`;
    case 'crosses_below':
      return `qtpylib.crossed_below(${left}, ${right})`;
    case 'above':
      return `(${left} > ${right})`;
    case 'below':
      return `(${left} < ${right})`;
  }
}

const OP_WORDS = {
  crosses_above: 'crosses above',
  crosses_below: 'crosses below',
  above: 'is above',
  below: 'is below',
} as const;

/** The condition in words, e.g. `SMA(20) crosses above SMA(50)`. */
export function describeCondition(condition: Condition): string {
  const right =
    typeof condition.right === 'number' ? pyNumber(condition.right) : describeSeries(condition.right);
  return `${describeSeries(condition.left)} ${OP_WORDS[condition.op]} ${right}`;
}
