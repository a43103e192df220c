// Turns zod issues into one line each for a trader or the agent: "<where>: <what is allowed>, got <value>".
// Unions are unwrapped to the branch the input was aiming at, so a bad RSI period inside a condition's
// right side reports the period rather than "invalid input".
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Renders a zod path as `entry.all[0].left.period`. */
function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

// Inside a union, the branch the input meant is the one whose problems sit deepest inside it: a condition
// with a bad period (problem at left.period) rather than a "group" with unknown keys op and left (problem
// at the root). When every branch fails at the root, the union's own sentence says it best.
function pickBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  return bestBranch(branches).issues;
}

function bestBranch(branches: readonly (readonly Issue[])[]): { issues?: readonly Issue[]; depth: number } {
  let best: { issues?: readonly Issue[]; depth: number } = { depth: 0 };
  for (const issues of branches) {
    const depth = Math.min(...issues.map(issueDepth));
    if (depth > best.depth) best = { issues, depth };
  }
  return best;
}

// A union nested in a branch counts as deep as its own best branch.
function issueDepth(issue: Issue): number {
  const inner = issue.code === 'invalid_union' ? bestBranch(issue.errors).depth : 0;
  return issue.path.length + inner;
}

function formatOne(issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = pickBranch(issue.errors);
    if (branch) return branch.flatMap((inner) => formatOne(inner, path));
  }
  if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
    return issue.issues.flatMap((inner) => formatOne(inner, path));
  }
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : issue.message;
  const where = pathText(path);
  return [where === '' ? message : `${where}: ${message}`];
}

/** One readable line per problem, in the order zod found them, without duplicates. */
export function formatIssues(issues: readonly Issue[]): string[] {
  return [...new Set(issues.flatMap((issue) => formatOne(issue, [])))];
}

/** Per-parse fallback for issues whose schema has no sentence of its own, such as a missing object. */
export function fallbackMessage(issue: { input?: unknown; code: string }): string | undefined {
  if (issue.input === undefined) return 'missing';
  if (issue.code === 'invalid_type') {
    return `has the wrong type, got ${JSON.stringify(issue.input) ?? 'nothing'}`;
  }
  return undefined;
}
