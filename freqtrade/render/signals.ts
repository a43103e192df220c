// Entry and exit in the generated strategy. Entry conditions live in one labelled method,
// `gentrade_entry_conditions`, which populate_entry_trend combines and GenTrade's zero-trade diagnosis
// calls to count how often each condition held; exits are written inline.

import { describeItem } from '../../src/strategy/describe.ts';
import type { SignalGroup, StrategySpec } from '../../src/strategy/spec.ts';
import { itemsOf } from '../../src/strategy/spec-walk.ts';
import { itemExpr, type LevelParams, pyJoin } from './conditions.ts';
import { I, indent, pyString } from './python.ts';

const VOLUME = '(dataframe["volume"] > 0)';
const SIGNATURE = '(self, dataframe: DataFrame, metadata: dict) -> DataFrame:';

type Side = { label: string; group: SignalGroup };

function entrySides(spec: StrategySpec): Side[] {
  if (spec.short === undefined) return [{ label: '', group: spec.entry }];
  return [
    { label: 'long: ', group: spec.entry },
    { label: 'short: ', group: spec.short.entry },
  ];
}

/** `gentrade_entry_conditions`: each top-level entry condition or group with its label, long then short. */
export function entryConditionsMethod(spec: StrategySpec, params?: LevelParams): string[] {
  const pairs = entrySides(spec).flatMap((side) =>
    itemsOf(side.group).map(
      (item) => `(${pyString(side.label + describeItem(item))}, ${itemExpr(item, params)}),`,
    ),
  );
  return indent(
    [
      '',
      'def gentrade_entry_conditions(self, dataframe: DataFrame) -> list[tuple[str, Series]]:',
      `${I}"""Each top-level entry condition in words, with the candles where it holds."""`,
      `${I}return [`,
      ...indent(pairs, 2),
      `${I}]`,
    ],
    1,
  );
}

function reduceOver(group: SignalGroup, slice: string): string {
  const op = pyJoin(group);
  return `reduce(lambda a, b: a ${op} b, conditions${slice})`;
}

/** populate_entry_trend: combines the labelled conditions per side and requires some volume. */
export function entryMethod(spec: StrategySpec): string[] {
  const body = ['conditions = [signal for _, signal in self.gentrade_entry_conditions(dataframe)]'];
  const longCount = itemsOf(spec.entry).length;
  if (spec.short === undefined) {
    body.push(`enter_long = ${reduceOver(spec.entry, '')}`);
  } else {
    // A short-only strategy has no long conditions to reduce: it never enters long.
    if (longCount > 0) body.push(`enter_long = ${reduceOver(spec.entry, `[:${longCount}]`)}`);
    body.push(`enter_short = ${reduceOver(spec.short.entry, `[${longCount}:]`)}`);
  }
  if (longCount > 0) body.push(`dataframe.loc[enter_long & ${VOLUME}, "enter_long"] = 1`);
  if (spec.short !== undefined) body.push(`dataframe.loc[enter_short & ${VOLUME}, "enter_short"] = 1`);
  return indent(['', `def populate_entry_trend${SIGNATURE}`, ...indent([...body, 'return dataframe'], 1)], 1);
}

function exitBlock(group: SignalGroup, column: 'exit_long' | 'exit_short', params?: LevelParams): string[] {
  const exprs = itemsOf(group).map((item) => itemExpr(item, params));
  if (exprs.length === 0) {
    return [
      '# No exit conditions: trades close by minimal_roi, the stop-loss or the trailing stop.',
      `dataframe["${column}"] = 0`,
    ];
  }
  // Each term is one or more lines; an any-group of several items becomes one bracketed term.
  const terms: string[][] =
    pyJoin(group) === '&' || exprs.length === 1
      ? exprs.map((e) => [e])
      : [
          [
            '(',
            ...indent(
              exprs.map((e, i) => (i === 0 ? e : `| ${e}`)),
              1,
            ),
            ')',
          ],
        ];
  terms.push([VOLUME]);
  const lines = terms.flatMap((term, i) => (i === 0 ? term : [`& ${term[0]}`, ...term.slice(1)]));
  return ['dataframe.loc[', `${I}(`, ...indent(lines, 2), `${I}),`, `${I}"${column}",`, '] = 1'];
}

/** populate_exit_trend for the long side, and the short side when the spec has one. */
export function exitMethod(spec: StrategySpec, params?: LevelParams): string[] {
  const body = [...exitBlock(spec.exit, 'exit_long', params)];
  if (spec.short !== undefined) body.push(...exitBlock(spec.short.exit, 'exit_short', params));
  return indent(['', `def populate_exit_trend${SIGNATURE}`, ...indent([...body, 'return dataframe'], 1)], 1);
}
