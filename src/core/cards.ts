// Neutral cards for strategies and backtest results. Platforms render them; the figures come
// straight from the stored Freqtrade summary.

import { figureGaps, meaningfulFigures } from '../backtest/figures.ts';
import type { BacktestSummary } from '../backtest/summary.ts';
import { signalSentences } from '../strategy/describe.ts';
import { ROI_OFF_RATIO, type StrategySpec } from '../strategy/spec.ts';
import { encodeAction } from './actions.ts';
import { fixed, money, pct, seconds } from './format.ts';
import type { Card, OutgoingMessage } from './types.ts';

/** A strategy as its card shows it. `spec` is null for custom (imported) code, named by its class. */
export type StrategyView = {
  id: string;
  name: string;
  version: number;
  description: string;
  timeframe: string;
  pairs: string[];
  spec: StrategySpec | null;
  className: string;
  /** The defaults filled in for what the first version's words left out (none after an edit). */
  assumptions?: string[];
};

const plainPct = (ratio: number) => `${Number((Math.abs(ratio) * 100).toFixed(2))}%`;

/** The trailing stop in words ("2% once up 3%"), or undefined when the spec has none. */
export function describeTrailing(spec: StrategySpec): string | undefined {
  const t = spec.trailingStop;
  if (!t) return undefined;
  const distance = t.positive === undefined ? plainPct(spec.stoploss) : plainPct(t.positive);
  return t.offset === undefined ? distance : `${distance} once up ${plainPct(t.offset)}`;
}

/** "5% stop-loss; trailing stop 2% once up 3%; take profit at +10%" in a trader's words. */
function describeRisk(spec: StrategySpec): string {
  const parts = [
    spec.atrStop === undefined
      ? `${plainPct(spec.stoploss)} stop-loss`
      : spec.atrStop.trailing
        ? `trailing stop-loss ${spec.atrStop.multiplier} x ATR(${spec.atrStop.period}) from the best price since the entry, at most ${plainPct(spec.stoploss)}`
        : `stop-loss ${spec.atrStop.multiplier} x ATR(${spec.atrStop.period}) from the entry, at most ${plainPct(spec.stoploss)}`,
  ];
  const trailing = describeTrailing(spec);
  if (trailing) parts.push(`trailing stop ${trailing}`);
  const targets = Object.entries(spec.minimalRoi)
    .filter(([, ratio]) => ratio < ROI_OFF_RATIO)
    .sort(([a], [b]) => Number(a) - Number(b));
  if (targets.length === 0) parts.push('no take-profit target');
  else
    parts.push(
      `take profit at ${targets.map(([minutes, ratio]) => (minutes === '0' ? `+${plainPct(ratio)}` : `+${plainPct(ratio)} after ${minutes} min`)).join(', ')}`,
    );
  if (spec.maxOpenTrades !== undefined) parts.push(`at most ${spec.maxOpenTrades} open trades`);
  if (spec.stakeAmount !== undefined) {
    parts.push(
      spec.stakeAmount === 'unlimited'
        ? 'stake split across open trades'
        : `stake ${spec.stakeAmount} per trade`,
    );
  }
  const p = spec.protections;
  if (p?.cooldownCandles !== undefined) parts.push(`cooldown ${p.cooldownCandles} candles after a trade`);
  if (p?.stoplossGuard) {
    const g = p.stoplossGuard;
    parts.push(
      `pause ${g.stopCandles} candles after ${g.tradeLimit} stop-losses within ${g.lookbackCandles} candles`,
    );
  }
  if (spec.tradingMode === 'futures') parts.push('futures');
  return parts.join('; ');
}

/**
 * The trader's own words, as long as they still describe the strategy. An edit can make them wrong
 * ("SMA 20/50" after "use EMA instead"), so from version 2 on they are the idea it started from,
 * labelled so; the Signals and Risk fields always say what it does now.
 */
function describeOrigin(s: StrategyView): string | undefined {
  if (!s.description) return undefined;
  return s.version > 1 ? `Originally: ${s.description}` : s.description;
}

export function strategyMessage(s: StrategyView, summaryLine?: string): OutgoingMessage {
  const card: Card = {
    title: `${s.name} (v${s.version})`,
    description: describeOrigin(s),
    fields: [
      { name: 'Timeframe', value: s.timeframe, inline: true },
      { name: 'Pairs', value: s.pairs.join(', '), inline: true },
      s.spec
        ? { name: 'Risk', value: describeRisk(s.spec) }
        : {
            name: 'Code',
            value: `Custom Freqtrade code (class ${s.className}); paste a new version to change it`,
          },
    ],
  };
  // The signals in words with every indicator setting, defaults included ("RSI(14) below 30").
  if (s.spec) card.fields.splice(2, 0, { name: 'Signals', value: signalSentences(s.spec).join('\n') });
  // What the description left out and GenTrade filled in, said back next to the Edit button.
  if (s.assumptions?.length) card.fields.push({ name: 'Assumed', value: s.assumptions.join('\n') });
  if (summaryLine) card.fields.push({ name: 'Latest backtest', value: summaryLine });
  // Custom code has no spec to edit in a form: a new version is pasted instead.
  const edit = s.spec ? [{ label: 'Edit', action: encodeAction({ name: 'edit', strategyId: s.id }) }] : [];
  return {
    text: `Strategy ${s.name}`,
    card,
    buttons: [
      { label: 'Backtest', action: encodeAction({ name: 'backtest', strategyId: s.id }), style: 'primary' },
      ...edit,
      { label: 'Show code', action: encodeAction({ name: 'code', strategyId: s.id }) },
      { label: 'Delete', action: encodeAction({ name: 'delete', strategyId: s.id }), style: 'danger' },
    ],
  };
}

/**
 * A strategy whose stored spec no longer reads (hand-edited data, an old format): what is wrong, and the
 * two things that still work on it, its code and deleting it. Editing needs a sound spec to start from.
 */
export function brokenStrategyMessage(
  s: { id: string; name: string; version: number },
  problem: string,
): OutgoingMessage {
  return {
    text:
      `The stored spec of ${s.name} (v${s.version}) needs attention, so I can't show or backtest it: ${problem.replace(/\.$/, '')}. ` +
      `Delete it, or describe the strategy again with /new.`,
    buttons: [
      { label: 'Show code', action: encodeAction({ name: 'code', strategyId: s.id }) },
      { label: 'Delete', action: encodeAction({ name: 'delete', strategyId: s.id }), style: 'danger' },
    ],
  };
}

export function summaryLine(s: BacktestSummary): string {
  return `${s.trades} trades, profit ${pct(s.profitTotal)}, max drawdown ${pct(s.maxDrawdown)}`;
}

/**
 * The figures that Freqtrade may fill with a placeholder, as the cards show them: a placeholder reads
 * "n/a (no losing trade)", never as a number.
 */
export function derivedFigures(s: BacktestSummary) {
  const gaps = figureGaps(s);
  const m = meaningfulFigures(s);
  const or = (reason: string | undefined, text: string) => (reason ? `n/a (${reason})` : text);
  return {
    winRate: or(gaps.winRate, pct(m.winRate)),
    sharpe: or(gaps.sharpe, fixed(m.sharpe)),
    sortino: or(gaps.sortino, fixed(m.sortino)),
    calmar: or(gaps.calmar, fixed(m.calmar)),
    profitFactor: or(gaps.profitFactor, fixed(m.profitFactor)),
    expectancy: or(gaps.expectancy, money(m.expectancy, s.stakeCurrency)),
    cagr: or(gaps.cagr, pct(m.cagr)),
  };
}

/** Which version a backtest ran and which the strategy is at now. */
export type RunVersion = { run: number; current: number };

/**
 * "v2 (now v5)" when a result is from an earlier version than the strategy's current one, so an old
 * version's figures are never read as the current one's; undefined when it is the current version.
 */
export function olderVersion(v: RunVersion | undefined): string | undefined {
  return v && v.run !== v.current ? `v${v.run} (now v${v.current})` : undefined;
}

/** The result card. Each field is one of Freqtrade's figures, formatted. */
export function resultCard(
  strategyName: string,
  timerange: string,
  pairs: string[],
  s: BacktestSummary,
  version?: RunVersion,
): Card {
  const older = olderVersion(version) ? version : undefined;
  const note = older ? `. Version ${older.run}; ${strategyName} is now at version ${older.current}.` : '';
  const d = derivedFigures(s);
  return {
    title: `Backtest: ${strategyName}${older ? ` v${older.run}` : ''} ${timerange}`,
    description: `${pairs.join(', ')} on ${s.timeframe}${note}`,
    fields: [
      { name: 'Trades', value: String(s.trades), inline: true },
      { name: 'Win rate', value: d.winRate, inline: true },
      {
        name: 'Total profit',
        value: `${pct(s.profitTotal)} (${money(s.profitTotalAbs, s.stakeCurrency)})`,
        inline: true,
      },
      {
        name: 'Max drawdown',
        value: `${pct(s.maxDrawdown)} (${money(s.maxDrawdownAbs, s.stakeCurrency)})`,
        inline: true,
      },
      { name: 'Sharpe', value: d.sharpe, inline: true },
      { name: 'Sortino', value: d.sortino, inline: true },
      { name: 'Calmar', value: d.calmar, inline: true },
      { name: 'Profit factor', value: d.profitFactor, inline: true },
      { name: 'Expectancy', value: d.expectancy, inline: true },
      { name: 'CAGR', value: d.cagr, inline: true },
      { name: 'Market change', value: pct(s.marketChange), inline: true },
      { name: 'Period', value: `${s.periodStart.slice(0, 10)} to ${s.periodEnd.slice(0, 10)}`, inline: true },
      { name: 'Run time', value: seconds(s.runtimeSeconds), inline: true },
    ],
    footer: `Starting balance ${money(s.startingBalance, s.stakeCurrency)}, final ${money(s.finalBalance, s.stakeCurrency)}. Figures from Freqtrade.`,
  };
}

type CompareRow = {
  name: string;
  timerange: string;
  pairs: string[];
  summary: BacktestSummary;
  version?: RunVersion;
};

/**
 * A warning when the results are not like for like: different periods (the candles each backtest
 * actually covered, by day), pairs or timeframes. Undefined when they match.
 */
export function compareWarning(rows: CompareRow[]): string | undefined {
  const differ = (what: string, value: (r: CompareRow) => string) => {
    const values = rows.map(value);
    if (new Set(values).size < 2) return [];
    return [`different ${what} (${rows.map((r, i) => `${r.name}: ${values[i]}`).join('; ')})`];
  };
  const timerange = (r: CompareRow) =>
    `${r.summary.periodStart.slice(0, 10)} to ${r.summary.periodEnd.slice(0, 10)}`;
  const timerangeDiffers = differ('periods', timerange);
  const parts = [
    ...timerangeDiffers,
    ...differ('pairs', (r) => [...r.pairs].sort().join(', ')),
    ...differ('timeframes', (r) => r.summary.timeframe),
  ];
  if (parts.length === 0) return undefined;
  const advice =
    timerangeDiffers.length > 0 ? ' Backtest both over the same range to compare them fairly.' : '';
  return `Warning: not like for like, ${parts.join(', ')}.${advice}`;
}

/** Two (or more) strategies' latest results side by side: one field per metric, values joined by "|". */
export function compareCard(rows: CompareRow[]): Card {
  const line = (f: (s: BacktestSummary) => string) => rows.map((r) => f(r.summary)).join(' | ');
  const warning = compareWarning(rows);
  const each = rows.map((r) => {
    const older = olderVersion(r.version);
    return `${r.name}${older ? ` ${older}` : ''}: ${r.timerange}, ${r.pairs.join(', ')}, ${r.summary.timeframe}`;
  });
  return {
    title: `Compare: ${rows.map((r) => r.name).join(' vs ')}`,
    description: [...(warning ? [warning] : []), ...each].join('\n'),
    fields: [
      { name: 'Trades', value: line((s) => String(s.trades)), inline: true },
      { name: 'Win rate', value: line((s) => derivedFigures(s).winRate), inline: true },
      { name: 'Total profit', value: line((s) => pct(s.profitTotal)), inline: true },
      { name: 'Max drawdown', value: line((s) => pct(s.maxDrawdown)), inline: true },
      { name: 'Sharpe', value: line((s) => derivedFigures(s).sharpe), inline: true },
      { name: 'Sortino', value: line((s) => derivedFigures(s).sortino), inline: true },
      { name: 'Profit factor', value: line((s) => derivedFigures(s).profitFactor), inline: true },
      { name: 'CAGR', value: line((s) => derivedFigures(s).cagr), inline: true },
    ],
    footer: 'Latest finished backtest of each. Figures from Freqtrade.',
  };
}
