// The class attributes Freqtrade reads from a strategy: timeframe, shorting, warm-up, stop-loss, ROI,
// trailing stop, open-trade cap, protections and the stake per trade.
import type { StrategySpec } from '../../src/strategy/spec.ts';
import { ROI_OFF_RATIO } from '../../src/strategy/spec.ts';
import { baseColumn } from './columns.ts';
import { I, indent, pyFloat } from './python.ts';

function roiLiteral(roi: StrategySpec['minimalRoi']): string {
  const entries = Object.entries(roi).sort(([a], [b]) => Number(a) - Number(b));
  return `{${entries.map(([minutes, target]) => `"${minutes}": ${pyFloat(target)}`).join(', ')}}`;
}

function roiOff(roi: StrategySpec['minimalRoi']): boolean {
  return Object.values(roi).every((target) => target >= ROI_OFF_RATIO);
}

function trailing(spec: StrategySpec): string[] {
  const t = spec.trailingStop;
  if (t === undefined) return ['trailing_stop = False'];
  const lines = ['trailing_stop = True'];
  if (t.positive !== undefined) lines.push(`trailing_stop_positive = ${pyFloat(t.positive)}`);
  if (t.offset !== undefined) lines.push(`trailing_stop_positive_offset = ${pyFloat(t.offset)}`);
  lines.push(`trailing_only_offset_is_reached = ${t.onlyOffsetIsReached ? 'True' : 'False'}`);
  return lines;
}

/** Class attributes, indented for the class body. */
export function settingsLines(spec: StrategySpec, startupCandles: number): string[] {
  const lines = ['INTERFACE_VERSION = 3', '', `timeframe = "${spec.timeframe}"`];
  if (spec.tradingMode === 'futures') {
    lines.push('# Futures markets: run with trading_mode "futures" and margin_mode "isolated".');
  }
  lines.push(
    `can_short = ${spec.short === undefined ? 'False' : 'True'}`,
    'process_only_new_candles = True',
    `startup_candle_count = ${startupCandles}`,
    '',
    `stoploss = ${pyFloat(spec.stoploss)}`,
    `minimal_roi = ${roiLiteral(spec.minimalRoi)}${roiOff(spec.minimalRoi) ? '  # no take-profit target' : ''}`,
    ...trailing(spec),
  );
  if (spec.atrStop !== undefined) {
    lines.push('use_custom_stoploss = True  # the ATR stop below; stoploss above is the widest it may be');
  }
  if (spec.maxOpenTrades !== undefined) lines.push(`max_open_trades = ${spec.maxOpenTrades}`);
  if (spec.stakeAmount === 'unlimited') {
    lines.push('# Stake: "unlimited" (the wallet is shared out across open trades).');
  }
  return indent(lines, 1);
}

/** The `protections` property, or nothing when the spec asks for none. */
export function protectionLines(spec: StrategySpec): string[] {
  const p = spec.protections;
  if (p === undefined) return [];
  const entries: string[] = [];
  if (p.cooldownCandles !== undefined) {
    entries.push(`{"method": "CooldownPeriod", "stop_duration_candles": ${p.cooldownCandles}},`);
  }
  const guard = p.stoplossGuard;
  if (guard !== undefined) {
    entries.push(
      '{',
      `${I}"method": "StoplossGuard",`,
      `${I}"lookback_period_candles": ${guard.lookbackCandles},`,
      `${I}"trade_limit": ${guard.tradeLimit},`,
      `${I}"stop_duration_candles": ${guard.stopCandles},`,
      `${I}"only_per_pair": False,`,
      '},',
    );
  }
  return indent(
    ['', '@property', 'def protections(self) -> list[dict]:', `${I}return [`, ...indent(entries, 2), `${I}]`],
    1,
  );
}

/** `custom_stake_amount` for a fixed stake per trade, kept within what the wallet and exchange allow. */
/**
 * custom_stoploss for an ATR stop: `multiplier` x the ATR of the candle the trade opened on, below the
 * entry price (above it for a short), fixed for the trade's life. Candles after the entry are never read.
 * A trailing one keeps `multiplier` x the latest closed candle's ATR from the best price since the entry
 * (the highest high of a long, the lowest low of a short), read from closed candles only; Freqtrade never
 * lets a custom stop move back.
 */
export function atrStopLines(spec: StrategySpec): string[] {
  const stop = spec.atrStop;
  if (stop === undefined) return [];
  const column = baseColumn({ kind: 'atr', period: stop.period });
  const head = [
    '',
    'def custom_stoploss(self, pair: str, trade, current_time, current_rate: float, current_profit: float, after_fill: bool, **kwargs) -> float | None:',
    `${I}dataframe, _ = self.dp.get_analyzed_dataframe(pair, self.timeframe)`,
  ];
  const fixed = [
    `${I}candles = dataframe.loc[dataframe["date"] <= trade.open_date_utc]`,
    `${I}if candles.empty:`,
    `${I}${I}return None`,
    `${I}distance = ${pyFloat(stop.multiplier)} * candles["${column}"].iloc[-1]`,
    `${I}stop = trade.open_rate + distance if trade.is_short else trade.open_rate - distance`,
  ];
  const trailing = [
    `${I}candles = dataframe.loc[dataframe["date"] < current_time]`,
    `${I}if candles.empty:`,
    `${I}${I}return None`,
    `${I}held = candles.loc[candles["date"] >= trade.open_date_utc]`,
    `${I}distance = ${pyFloat(stop.multiplier)} * candles["${column}"].iloc[-1]`,
    `${I}if trade.is_short:`,
    `${I}${I}best = trade.open_rate if held.empty else min(trade.open_rate, held["low"].min())`,
    `${I}${I}stop = best + distance`,
    `${I}else:`,
    `${I}${I}best = trade.open_rate if held.empty else max(trade.open_rate, held["high"].max())`,
    `${I}${I}stop = best - distance`,
  ];
  return indent(
    [
      ...head,
      ...(stop.trailing ? trailing : fixed),
      `${I}return stoploss_from_absolute(stop, current_rate, is_short=trade.is_short, leverage=trade.leverage)`,
    ],
    1,
  );
}

export function stakeLines(spec: StrategySpec): string[] {
  if (typeof spec.stakeAmount !== 'number') return [];
  return indent(
    [
      '',
      'def custom_stake_amount(',
      `${I}self,`,
      `${I}pair: str,`,
      `${I}current_time: datetime,`,
      `${I}current_rate: float,`,
      `${I}proposed_stake: float,`,
      `${I}min_stake: float | None,`,
      `${I}max_stake: float,`,
      `${I}leverage: float,`,
      `${I}entry_tag: str | None,`,
      `${I}side: str,`,
      `${I}**kwargs,`,
      ') -> float:',
      `${I}return min(max(${pyFloat(spec.stakeAmount)}, min_stake or 0.0), max_stake)`,
    ],
    1,
  );
}
