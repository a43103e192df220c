# Freqtrade's own Hyperopt, adapted to run in one sandboxed process: one job (joblib's sequential
# backend, no worker processes), no logging manager process (the sandbox forbids new processes),
# the offline exchange for its Backtesting, a report after every epoch, and the strategy as it
# stands asked first, so that the first epoch is the baseline the search has to beat.

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from freqtrade.optimize.hyperopt import hyperopt_optimizer
from freqtrade.optimize.hyperopt.hyperopt import Hyperopt
from freqtrade.optimize.hyperopt.hyperopt_optimizer import MAX_LOSS

OnEpoch = Callable[[int, int, "float | None"], None]


def _no_log_manager(_self: Any) -> None:
    # Freqtrade starts a multiprocessing Manager for its worker processes' logs; we run none.
    hyperopt_optimizer.log_queue = queue.Queue()


def _current_values(search: Hyperopt) -> dict[str, Any] | None:
    """The strategy's own values for every dimension searched, or None when some have none
    (ROI and trailing tables are generated from their own dimensions)."""
    optimizer = search.hyperopter
    strategy = optimizer.backtesting.strategy
    values: dict[str, Any] = {
        name: attr.value
        for name, attr in strategy.enumerate_parameters()
        if attr.in_space and attr.optimize
    }
    values["stoploss"] = strategy.stoploss
    wanted = list(optimizer.o_dimensions)
    if any(name not in values for name in wanted):
        return None
    return {name: values[name] for name in wanted}


class Search(Hyperopt):
    """Hyperopt with a report per epoch (epochs done, total, best loss so far)."""

    def __init__(self, config: dict[str, Any], exchange: Any, on_epoch: OnEpoch | None) -> None:
        backtesting = hyperopt_optimizer.Backtesting
        hyperopt_optimizer.HyperOptimizer._setup_logging_mp_workaround = _no_log_manager  # type: ignore[method-assign]
        # HyperOptimizer builds its own Backtesting; ours brings the offline exchange.
        hyperopt_optimizer.Backtesting = lambda cfg: backtesting(cfg, exchange=exchange)  # type: ignore[misc, assignment]
        try:
            super().__init__(config)
        finally:
            hyperopt_optimizer.Backtesting = backtesting  # type: ignore[misc]
        self.on_epoch = on_epoch
        self.baseline_loss: float | None = None
        self._baseline_asked = False
        make = self.hyperopter.get_optimizer

        def optimizer_with_baseline(random_state: int) -> Any:
            study = make(random_state)
            current = _current_values(self)
            if current is not None:
                study.enqueue_trial(current)
                self._baseline_asked = True
            return study

        self.hyperopter.get_optimizer = optimizer_with_baseline  # type: ignore[method-assign]

    def evaluate_result(self, val: dict[str, Any], current: int, is_random: bool) -> None:
        super().evaluate_result(val, current, is_random)
        if current == 1 and self._baseline_asked and val["loss"] < MAX_LOSS:
            self.baseline_loss = float(val["loss"])
        if self.on_epoch is not None:
            best = self.current_best_epoch
            self.on_epoch(current, self.total_epochs, None if best is None else float(best["loss"]))
