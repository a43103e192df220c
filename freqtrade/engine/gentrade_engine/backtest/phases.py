# Where a backtest's time goes inside Freqtrade. `instrument` wraps the steps of one Backtesting
# instance (data load, indicators, entry/exit signals, the candle loop) so the engine's timings
# split Freqtrade's `start()`; only that instance's attributes are replaced, Freqtrade's classes
# stay as they are. `breakdown` turns the phases into the reply's `timings` (milliseconds).

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol


class PhaseTimer(Protocol):
    phases: dict[str, float]

    def phase(self, name: str) -> AbstractContextManager[None]: ...


def _timed(timer: PhaseTimer, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with timer.phase(name):
            return fn(*args, **kwargs)

    return wrapper


def instrument(backtesting: Any, timer: PhaseTimer) -> None:
    """Times the instance's data load, each strategy's indicators, the signals and the loop."""
    backtesting.load_bt_data = _timed(timer, "data", backtesting.load_bt_data)
    # Entry/exit signals and the frames turned into lists: the first thing `backtest` does.
    backtesting._get_ohlcv_as_lists = _timed(timer, "signals", backtesting._get_ohlcv_as_lists)
    backtesting.backtest = _timed(timer, "backtest", backtesting.backtest)
    for strategy in backtesting.strategylist:
        strategy.advise_all_indicators = _timed(timer, "indicators", strategy.advise_all_indicators)


def _ordered(phases: dict[str, float]) -> Iterator[tuple[str, float]]:
    """The phases in the order they run, Freqtrade's `start()` split into its steps."""
    get = phases.get
    inner = get("backtest", 0.0)
    yield from ((k, phases[k]) for k in ("preflight", "import", "setup", "init") if k in phases)
    if "run" in phases:
        yield "data", get("data", 0.0)
        yield "indicators", get("indicators", 0.0)
        yield "signals", get("signals", 0.0)
        yield "loop", max(0.0, inner - get("signals", 0.0))
        # Statistics and writing the result files: what start() does after the loop.
        rest = phases["run"] - get("data", 0.0) - get("indicators", 0.0) - inner
        yield "results", max(0.0, rest)
    if "collect" in phases:
        yield "collect", phases["collect"]


def breakdown(phases: dict[str, float]) -> dict[str, int]:
    """Milliseconds per phase: preflight, import, setup, init, data, indicators, signals, loop,
    results (statistics and result files), collect."""
    return {name: round(seconds * 1000) for name, seconds in _ordered(phases)}
