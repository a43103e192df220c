# Orchestrates one backtest: parse the request, run the cheap checks, then start
# Freqtrade's real Backtesting with the offline exchange and collect its stored
# result. Freqtrade is imported only after the checks pass. `run_backtest` is the core shared
# by the one-shot subcommand and the warm server.

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gentrade_engine.backtest import preflight
from gentrade_engine.backtest.phases import breakdown, instrument
from gentrade_engine.backtest.request import BacktestRequest, parse_request
from gentrade_engine.backtest.results import StoredResult, collect_result
from gentrade_engine.errors import EngineError

logger = logging.getLogger("gentrade_engine")


class _Timer:
    """Wall time per phase, logged to stderr so startup cost stays visible."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = time.perf_counter() - began

    def report(self) -> str:
        return " ".join(f"{name}={ms / 1000:.2f}s" for name, ms in breakdown(self.phases).items())


OnProgress = Callable[[str, "float | None"], None]

# Freqtrade's phases (BacktestState, lower-cased) in our words; STARTUP is not reported.
_PHASES = {
    "dataload": "loading",
    "analyze": "indicators",
    "convert": "indicators",
    "backtest": "backtesting",
}
# The loop reports every candle; a report goes out on a new phase, or a percent more at most this often.
_REPORT_EVERY_S = 0.5


def _progress_reporter(on_progress: OnProgress | None) -> Callable[[Any], None]:
    """Freqtrade's progress callback (a rich Task per update) turned into our phase reports."""
    last: dict[str, Any] = {"phase": None, "percent": -1.0, "at": 0.0}

    def report(task: Any) -> None:
        # Task 0 is Freqtrade's bar over the phases; task 1 tracks the phase under way.
        if on_progress is None or getattr(task, "id", 0) == 0:
            return
        phase = _PHASES.get(str(task.description))
        if phase is None:
            return
        total = task.total or 0
        percent = min(100.0, 100.0 * task.completed / total) if phase == "backtesting" and total else None
        now = time.monotonic()
        if phase == last["phase"]:
            if percent is None or percent - last["percent"] < 1 or now - last["at"] < _REPORT_EVERY_S:
                return
        last.update(phase=phase, percent=-1.0 if percent is None else percent, at=now)
        on_progress(phase, percent)

    return report


def _run_freqtrade(
    request: BacktestRequest,
    snapshot: preflight.Snapshot,
    timer: _Timer,
    on_progress: OnProgress | None = None,
) -> StoredResult:
    from gentrade_engine.backtest.network_guard import block_network

    block_network()
    with timer.phase("import"):
        from freqtrade.configuration.directory_operations import create_userdata_dir
        from freqtrade.optimize.backtesting import Backtesting

        from gentrade_engine.backtest.ft_config import (
            freqtrade_config,
            process_config,
            write_config,
        )
        from gentrade_engine.backtest.offline_exchange import OfflineBinance
        from gentrade_engine.backtest.strategy_check import check_strategy, stage_strategy

    with timer.phase("setup"):
        request.results_dir.mkdir(parents=True, exist_ok=True)
        user_data_dir = create_userdata_dir(str(request.results_dir / "user_data"), create_dir=True)
        staged = stage_strategy(request.strategy_path, _staged_strategy_dir(request))
        config_path = request.results_dir / "config.json"
        write_config(freqtrade_config(request, staged.parent), config_path)
        config, _filled = process_config(config_path, request, user_data_dir)
        check_strategy(config, staged)
        exchange = OfflineBinance(
            config,
            markets=snapshot.markets,
            leverage_tiers=snapshot.leverage_tiers,
            load_leverage_tiers=True,
        )

    # A callback also keeps Freqtrade's terminal progress bars off.
    try:
        with timer.phase("init"):
            backtesting = Backtesting(
                config, exchange=exchange, progress_callback=_progress_reporter(on_progress)
            )
        instrument(backtesting, timer)
        with timer.phase("run"):
            backtesting.start()
    finally:
        Backtesting.cleanup()
        exchange.close()
    with timer.phase("collect"):
        return collect_result(
            config["exportdirectory"], request.results_dir, request.strategy_class
        )


def _preflight(request: BacktestRequest) -> preflight.Snapshot:
    preflight.check_strategy_file(request.strategy_path)
    snapshot = preflight.load_snapshot(request)
    preflight.check_pairs(snapshot.markets, request.exchange_pairs, request.stake_currency)
    preflight.check_data(request)
    return snapshot


def _staged_strategy_dir(request: BacktestRequest) -> Path:
    """Where the strategy is copied for the run (Freqtrade's user_data/strategies)."""
    return request.results_dir / "user_data" / "strategies"


def _unexpected(err: BaseException, request: BacktestRequest | None) -> tuple[str, str]:
    """(code, message): STRATEGY_ERROR when the strategy's own code raised, else ENGINE."""
    last = traceback.format_exception_only(type(err), err)[-1].strip()
    frames = traceback.extract_tb(err.__traceback__)
    if request and any(
        Path(frame.filename).parent == _staged_strategy_dir(request) for frame in frames
    ):
        return "STRATEGY_ERROR", f"The strategy raised an error during the backtest: {last}"
    return "ENGINE", f"The backtest failed unexpectedly: {last}"


def caused_by_memory(err: BaseException) -> bool:
    """True when a MemoryError sits anywhere in the chain (Freqtrade wraps strategy errors)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def run_backtest(
    raw: str | dict[str, Any], *, raise_memory: bool = False, on_progress: OnProgress | None = None
) -> dict[str, Any]:
    """Runs one backtest request (JSON text or the decoded object) and returns the reply.

    Every outcome is a reply dict. `on_progress` hears (phase, percent) as Freqtrade moves on. With `raise_memory`, running out of memory re-raises instead,
    so a sandboxing caller (the warm server) reports it as a limit rather than a strategy error.
    """
    timer = _Timer()
    request: BacktestRequest | None = None
    try:
        with timer.phase("preflight"):
            request = parse_request(raw if isinstance(raw, str) else json.dumps(raw))
            snapshot = _preflight(request)
        stored = _run_freqtrade(request, snapshot, timer, on_progress)
    except EngineError as err:
        logger.error("backtest rejected: %s %s", err.code, err.message)
        return {"ok": False, "code": err.code, "message": err.message}
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the worker must always answer
        if raise_memory and caused_by_memory(err):
            raise
        traceback.print_exc(file=sys.stderr)
        code, message = _unexpected(err, request)
        return {"ok": False, "code": code, "message": message}
    finally:
        print(f"gentrade-engine timings: {timer.report()}", file=sys.stderr)
    return {
        "ok": True,
        "result_path": str(stored.result_path),
        "strategy": request.strategy_class,
        "trades": stored.trades,
        "timings": breakdown(timer.phases),
    }


def main() -> int:
    """The one-shot `backtest` subcommand (server/oneshot.py)."""
    from gentrade_engine.server.oneshot import run_oneshot
    from gentrade_engine.server.sandbox import Limits

    return run_oneshot("backtest", run_backtest, lambda _request: Limits())
