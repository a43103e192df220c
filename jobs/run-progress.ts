// The phases a running backtest's message goes through (starting, loading data, indicators, the
// backtest loop with its percentage, drawing), posted as the engine reports them. Each is sent without
// waiting: the notifier paces one message's edits (at most one every 2 s) and keeps only the newest, so
// a run is never held up by its own progress message, and a phase already shown is not sent again.
import type { EngineProgress } from '../freqtrade/runner.ts';
import { type BacktestView, type RunPhase, runningMessage } from '../src/core/backtest-messages.ts';
import type { ChatAddress, OutgoingMessage } from '../src/core/types.ts';
import type { Notifier } from '../src/notifier.ts';

export type RunProgress = {
  /** Shows a phase (the same words twice are sent once). */
  phase(p: RunPhase): void;
  /** The engine's report, as a phase. */
  engine(p: EngineProgress): void;
};

export function createRunProgress(deps: {
  notifier: Pick<Notifier, 'notify'>;
  replyTo: ChatAddress;
  backtest: BacktestView;
  label: string;
  onError: (err: unknown) => void;
}): RunProgress {
  let shown = '';
  const send = (message: OutgoingMessage) => {
    if (message.text === shown) return;
    shown = message.text;
    deps.notifier.notify(deps.replyTo, message).catch(deps.onError);
  };
  const phase = (p: RunPhase) => send(runningMessage(deps.backtest, p, deps.label));
  return {
    phase,
    engine: (p) =>
      phase(
        p.phase === 'backtesting'
          ? { phase: 'backtesting', ...(p.percent !== undefined ? { percent: p.percent } : {}) }
          : { phase: p.phase },
      ),
  };
}
