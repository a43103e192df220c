// The words of a backtest's progress message, one per state and phase, shared by whoever moves it on:
// the handler that queues it, the job that runs it, the queue that moves it up, and a cancel. Every
// state edits the same message (progress key = the backtest's id); while it can still be stopped it
// carries a Cancel button.
import type { BacktestDoc } from '../storage/models.ts';
import { encodeAction } from './actions.ts';
import type { Button, OutgoingMessage } from './types.ts';

/** What of a stored backtest its messages name. */
export type BacktestView = Pick<
  BacktestDoc,
  '_id' | 'strategyName' | 'strategyVersion' | 'timerange' | 'pairs' | 'timeframe'
> & { kind?: string | null | undefined };

/**
 * Where a run is, as the engine tells it: loading candles, computing indicators, the backtest loop
 * (with how far it is, when Freqtrade says), then drawing the chart.
 */
export type RunPhase =
  | { phase: 'starting' }
  | { phase: 'loading' }
  | { phase: 'indicators' }
  | { phase: 'backtesting'; percent?: number }
  /** A step of a run of several (a robustness report's Freqtrade runs), in words. */
  | { phase: 'step'; words: string }
  | { phase: 'drawing' };

const id = (bt: BacktestView) => bt._id.toString();

/** "btc-sma-20-50-1h 20240101-20240701 on BTC/USDT (1h)". */
export const backtestWhat = (bt: BacktestView) =>
  `${bt.strategyName} ${bt.timerange} on ${bt.pairs.join(', ')} (${bt.timeframe})`;

/** A robustness report is followed like a backtest, under its own name and Run again. */
const isReport = (bt: BacktestView) => bt.kind === 'robustness';
const title = (bt: BacktestView) =>
  isReport(bt) ? 'Robustness report' : bt.kind === 'optimise' ? 'Optimisation' : 'Backtest';
/** "backtest", "robustness report" or "optimisation", for sentences about the run. */
export const runName = (bt: BacktestView) => title(bt).toLowerCase();
/** Run again: a report runs again over its range; an optimisation opens its form again, filled in as it was. */
const again = (bt: BacktestView) =>
  encodeAction(
    isReport(bt)
      ? { name: 'robust', backtestId: id(bt) }
      : bt.kind === 'optimise'
        ? { name: 'optimiseAgain', backtestId: id(bt) }
        : { name: 'rerun', backtestId: id(bt) },
  );

function liveButtons(bt: BacktestView): Button[] {
  return [
    { label: 'Run again', action: again(bt), disabled: true },
    {
      label: 'Cancel',
      action: encodeAction({ name: 'cancelBacktest', backtestId: id(bt) }),
      style: 'danger',
    },
  ];
}

/** Waiting for a worker; `position` 1 is next to start (not said), 2 the one after, and so on. */
export function queuedMessage(bt: BacktestView, position: number | null): OutgoingMessage {
  const place = position !== null && position > 1 ? ` Position ${position} in the queue.` : '';
  return {
    text: `${title(bt)} of ${backtestWhat(bt)}: queued.${place}`,
    progress: { key: id(bt), state: 'queued', paced: true },
    buttons: liveButtons(bt),
  };
}

function phaseWords(p: RunPhase): string {
  switch (p.phase) {
    case 'starting':
      return 'running...';
    case 'loading':
      return 'loading data...';
    case 'indicators':
      return 'computing indicators...';
    case 'backtesting':
      return p.percent === undefined ? 'backtesting...' : `backtesting... ${Math.floor(p.percent)}%`;
    case 'step':
      return `${p.words}...`;
    case 'drawing':
      return 'drawing the chart...';
  }
}

/** Running, in one of its phases; `label` names the strategy (with its version when it changed since). */
export function runningMessage(bt: BacktestView, phase: RunPhase, label = bt.strategyName): OutgoingMessage {
  return {
    text: `${title(bt)} of ${label} ${bt.timerange}: ${phaseWords(phase)}`,
    progress: { key: id(bt), state: 'running', paced: true },
    // Drawing comes after the figures are recorded: nothing is left to cancel.
    buttons: phase.phase === 'drawing' ? liveButtons(bt).slice(0, 1) : liveButtons(bt),
  };
}

/** Stopped by its owner: the final state, with Run again to start it afresh. */
export function cancelledMessage(bt: BacktestView): OutgoingMessage {
  return {
    text: `${title(bt)} of ${backtestWhat(bt)}: cancelled.`,
    progress: { key: id(bt), state: 'cancelled', paced: true },
    buttons: [{ label: 'Run again', action: again(bt) }],
  };
}

/** The buttons under a backtest's result card, whether the job ran it or the cache answered it. */
export function resultButtons(backtestId: string, strategyId: string): Button[] {
  return [
    { label: 'Run again', action: encodeAction({ name: 'rerun', backtestId }) },
    { label: 'How robust?', action: encodeAction({ name: 'robust', backtestId }) },
    { label: 'Optimise', action: encodeAction({ name: 'optimise', strategyId }) },
    { label: 'Show strategy', action: encodeAction({ name: 'show', strategyId }) },
  ];
}
