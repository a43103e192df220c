// How a cancel reaches a running backtest wherever it runs. In this process the scheduler aborts the
// run at once; a worker in another process (or on another machine) reads the backtest's status while
// it runs, every poll interval, and aborts the run when it reads "cancelled". The abort reason says it
// was a cancel, so the job neither records a failure nor queues the run again: the cancel has already
// recorded the final state and posted the final message.

/** The abort reason of a run its owner cancelled. */
class BacktestCancelled extends Error {
  constructor(backtestId: string) {
    super(`backtest ${backtestId} cancelled by its owner`);
    this.name = 'BacktestCancelled';
  }
}

export const cancelledReason = (backtestId: string): Error => new BacktestCancelled(backtestId);

export const isCancelled = (reason: unknown): reason is BacktestCancelled =>
  reason instanceof BacktestCancelled;

/** Aborts `controller` once `cancelled()` says so; returns the function that stops watching. */
export function watchCancel(deps: {
  backtestId: string;
  cancelled: () => Promise<boolean>;
  controller: AbortController;
  everyMs: number;
  onError: (err: unknown) => void;
}): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || deps.controller.signal.aborted) return;
    busy = true;
    deps
      .cancelled()
      .then((yes) => {
        if (yes) deps.controller.abort(cancelledReason(deps.backtestId));
      })
      .catch(deps.onError)
      .finally(() => {
        busy = false;
      });
  }, deps.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
