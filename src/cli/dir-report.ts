// What `gentrade validate-dir` says about each file and about the folder: pure functions from the
// validation verdicts to outcomes, one line per file, and a summary that splits the folder into
// accepted and traded, accepted with zero trades, and refused by cause (the first violation's
// stage/rule), each with a count, a share and an example file.
import type { StrategyVerdict } from '../strategy/verdict.ts';

export type TradingMode = 'spot' | 'futures';

type Base = { file: string; tradingMode: TradingMode };

/** One file's result. `refused` names the first violation; `rules` lists every rule it broke. */
export type FileOutcome =
  | (Base & { kind: 'traded'; timeframe: string | null; trades: number })
  | (Base & { kind: 'zero-trades'; timeframe: string | null; diagnosis: string | null })
  | (Base & { kind: 'accepted'; timeframe: string | null })
  | (Base & {
      kind: 'refused';
      stage: string;
      rule: string;
      line: number | null;
      message: string;
      rules: string[];
    })
  | (Base & { kind: 'error'; message: string });

export type RefusalCause = { cause: string; count: number; share: number; example: string };

export type DirSummary = {
  files: number;
  traded: number;
  zeroTrades: number;
  /** Accepted without a smoke backtest (the engine ran none), so neither traded nor zero trades. */
  acceptedUnsmoked: number;
  refused: number;
  /** Files the engine could not judge (it failed, not the strategy). */
  errors: number;
  /** Most common first; ties by name. */
  causes: RefusalCause[];
};

export function outcomeOf(file: string, tradingMode: TradingMode, verdict: StrategyVerdict): FileOutcome {
  if (!verdict.accepted) {
    const first = verdict.violations[0];
    return {
      file,
      tradingMode,
      kind: 'refused',
      stage: verdict.stage,
      rule: first?.rule ?? 'unknown',
      line: first?.line ?? null,
      message: first?.message ?? '',
      rules: [...new Set(verdict.violations.map((v) => v.rule))],
    };
  }
  const timeframe = verdict.timeframe;
  if (!verdict.smoke) return { file, tradingMode, kind: 'accepted', timeframe };
  if (verdict.smoke.trades > 0) {
    return { file, tradingMode, kind: 'traded', timeframe, trades: verdict.smoke.trades };
  }
  return { file, tradingMode, kind: 'zero-trades', timeframe, diagnosis: verdict.diagnosis ?? null };
}

/** One line of text: newlines folded, long messages cut. */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatLine(outcome: FileOutcome): string {
  const mode = outcome.tradingMode === 'futures' ? ' [futures]' : '';
  const tf = (timeframe: string | null) => (timeframe ? `, ${timeframe}` : '');
  switch (outcome.kind) {
    case 'traded':
      return `TRADED   ${outcome.file}${mode}: accepted, ${outcome.trades} trades${tf(outcome.timeframe)}`;
    case 'zero-trades':
      return `ZERO     ${outcome.file}${mode}: accepted, zero trades${tf(outcome.timeframe)}`;
    case 'accepted':
      return `ACCEPTED ${outcome.file}${mode}: accepted, no smoke backtest${tf(outcome.timeframe)}`;
    case 'refused': {
      const where = outcome.line === null ? '' : ` line ${outcome.line}`;
      return `REFUSED  ${outcome.file}${mode}: ${outcome.stage}/${outcome.rule}${where}: ${oneLine(outcome.message)}`;
    }
    case 'error':
      return `ERROR    ${outcome.file}${mode}: engine error: ${oneLine(outcome.message)}`;
  }
}

export function summarize(outcomes: readonly FileOutcome[]): DirSummary {
  const count = (kind: FileOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  const byCause = new Map<string, { count: number; example: string }>();
  for (const o of outcomes) {
    if (o.kind !== 'refused') continue;
    const cause = `${o.stage}/${o.rule}`;
    const seen = byCause.get(cause);
    if (seen) seen.count += 1;
    else byCause.set(cause, { count: 1, example: o.file });
  }
  const causes = [...byCause.entries()]
    .map(([cause, { count, example }]) => ({ cause, count, share: share(count, outcomes.length), example }))
    .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0));
  return {
    files: outcomes.length,
    traded: count('traded'),
    zeroTrades: count('zero-trades'),
    acceptedUnsmoked: count('accepted'),
    refused: count('refused'),
    errors: count('error'),
    causes,
  };
}

/** A percentage of the whole folder, one decimal. */
function share(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
}

function row(label: string, count: number, total: number, width: number): string {
  return `  ${label.padEnd(width)} ${String(count).padStart(4)}  ${share(count, total).toFixed(1).padStart(5)}%`;
}

export function formatSummary(dir: string, summary: DirSummary): string {
  const n = summary.files;
  const width = Math.max(26, ...summary.causes.map((c) => c.cause.length));
  const lines = [
    `${n} files in ${dir}:`,
    row('accepted and traded', summary.traded, n, width),
    row('accepted with zero trades', summary.zeroTrades, n, width),
    ...(summary.acceptedUnsmoked > 0
      ? [row('accepted, no smoke run', summary.acceptedUnsmoked, n, width)]
      : []),
    row('refused', summary.refused, n, width),
    row('engine errors', summary.errors, n, width),
  ];
  if (summary.causes.length > 0) {
    lines.push('Refused by cause (stage/rule of the first violation), most common first:');
    for (const c of summary.causes) lines.push(`${row(c.cause, c.count, n, width)}  e.g. ${c.example}`);
  }
  return lines.join('\n');
}
