// Writes an optimisation's found values into custom Freqtrade code as new defaults: each hyperopt
// parameter's `default=` (IntParameter(20, 40, default=30, space="buy")), the class's `stoploss = -0.1`
// and its `minimal_roi = {...}`. Only those spans change, so the rest of the code is byte for byte the
// trader's. A value whose declaration can't be found is refused with a sentence, never guessed.
import { AppError } from '../errors.ts';

/** Where the bracket opened at `open` closes, skipping strings; -1 when it never does. */
function closing(code: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < code.length; i++) {
    const c = code.charAt(i);
    if (c === '"' || c === "'") {
      const end = code.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (c === '#') {
      const end = code.indexOf('\n', i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    const shut = pairs[c];
    if (shut) stack.push(shut);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** The end of an argument's expression starting at `from`: the next comma or bracket at its level. */
function argumentEnd(code: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const c = code.charAt(i);
    if (c === '(' || c === '[' || c === '{') {
      const end = closing(code, i);
      if (end < 0) return limit;
      i = end;
    } else if (c === '"' || c === "'") {
      i = code.indexOf(c, i + 1);
      if (i < 0) return limit;
    } else if (c === ',' || c === ')') return i;
  }
  return limit;
}

function python(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  throw new AppError('BAD_INPUT', `I can't write the value ${JSON.stringify(value)} into Python code.`);
}

/** Each `name = SomeParameter(...)` (a type annotation allowed) with where its brackets open and close. */
function* parameterDeclarations(code: string): Generator<{ name: string; open: number; close: number }> {
  for (const m of code.matchAll(/^[ \t]+(\w+)\s*(?::[^=\n]*)?=\s*\w*Parameter\s*\(/gm)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    if (m[1]) yield { name: m[1], open, close: closing(code, open) };
  }
}

function withDefault(code: string, name: string, value: unknown): string {
  const decl = [...parameterDeclarations(code)].find((d) => d.name === name);
  if (!decl) throw unfound(`the parameter ${name}`);
  const { open, close } = decl;
  if (close < 0) throw unfound(`the end of ${name}'s declaration`);
  const inside = code.slice(open, close);
  const arg = /\bdefault\s*=\s*/.exec(inside);
  if (!arg) throw unfound(`${name}'s default=`);
  const start = open + arg.index + arg[0].length;
  const end = argumentEnd(code, start, close);
  return `${code.slice(0, start)}${python(value)}${code.slice(end)}`;
}

function unfound(what: string): AppError {
  return new AppError(
    'BAD_INPUT',
    `I couldn't find ${what} in the code, so I didn't rewrite it. Put the values from the card into the code yourself and paste it again.`,
  );
}

// `stoploss = -0.05`, with a type (`stoploss: float = -0.05`) or a comment after it.
const STOPLOSS_LINE = /^([ \t]+stoploss\s*(?::[^=\n]*)?=\s*)(-?[\d.]+(?:e-?\d+)?)(?=[ \t]*(?:#.*)?$)/m;

/** The stop-loss the code sets on a plain line, if it does. */
export function currentStoploss(code: string): number | undefined {
  const value = STOPLOSS_LINE.exec(code)?.[2];
  return value === undefined ? undefined : Number(value);
}

function withStoploss(code: string, stoploss: number): string {
  const line = STOPLOSS_LINE.exec(code);
  if (!line) throw unfound('a plain "stoploss = -0.1" line');
  return `${code.slice(0, line.index)}${line[1]}${stoploss}${code.slice(line.index + line[0].length)}`;
}

function withRoi(code: string, roi: Record<string, number>): string {
  const decl = /^[ \t]+minimal_roi\s*(?::[^=\n]*)?=\s*\{/m.exec(code);
  if (!decl) throw unfound('the minimal_roi table');
  const open = decl.index + decl[0].length - 1;
  const close = closing(code, open);
  if (close < 0) throw unfound("the end of minimal_roi's table");
  const table = Object.entries(roi)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([m, r]) => `"${m}": ${r}`)
    .join(', ');
  return `${code.slice(0, open)}{${table}}${code.slice(close + 1)}`;
}

/** The code with the found values as its defaults (buy and sell parameters, stop-loss, ROI table). */
export function withFoundDefaults(
  code: string,
  found: {
    buy?: Record<string, unknown> | undefined;
    sell?: Record<string, unknown> | undefined;
    stoploss?: { stoploss: number } | undefined;
    roi?: Record<string, number> | undefined;
  },
): string {
  let next = code;
  for (const [name, value] of Object.entries({ ...found.buy, ...found.sell }))
    next = withDefault(next, name, value);
  if (found.stoploss) next = withStoploss(next, found.stoploss.stoploss);
  if (found.roi) next = withRoi(next, found.roi);
  return next;
}

/** Each hyperopt parameter's default as written in the code (`buy_rsi` -> "30"), for saying what changed. */
export function currentDefaults(code: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, open, close } of parameterDeclarations(code)) {
    if (close < 0) continue;
    const arg = /\bdefault\s*=\s*/.exec(code.slice(open, close));
    if (!arg) continue;
    const start = open + arg.index + arg[0].length;
    out[name] = code.slice(start, argumentEnd(code, start, close)).trim();
  }
  return out;
}
