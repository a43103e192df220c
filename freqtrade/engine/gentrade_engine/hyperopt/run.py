# Runs one hyperopt request: the cheap checks, Freqtrade's hyperopt on the training part (search.py),
# then Freqtrade's backtest of the best parameters on the training part and on the test part, each
# stored as an ordinary backtest result. Freqtrade writes the best parameters beside the staged
# strategy (its parameter file), which those backtests load as any Freqtrade run would.

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from gentrade_engine.backtest import run as backtest_run
from gentrade_engine.backtest.request import BacktestRequest
from gentrade_engine.errors import EngineError
from gentrade_engine.hyperopt.request import MAX_EPOCHS, HyperoptRequest, parse_hyperopt
from gentrade_engine.hyperopt.search import OnEpoch
from gentrade_engine.server.sandbox import Limits

logger = logging.getLogger("gentrade_engine")


def _no_parameters(err: BaseException) -> bool:
    text = str(err)
    return "No hyperopt parameters found" in text or "no parameter for this space" in text


def _search(request: HyperoptRequest, snapshot: Any, on_epoch: OnEpoch | None) -> dict[str, Any]:
    from gentrade_engine.backtest.network_guard import block_network

    block_network()
    from freqtrade.configuration.directory_operations import create_userdata_dir
    from freqtrade.exceptions import OperationalException
    from freqtrade.optimize.backtesting import Backtesting

    from gentrade_engine.backtest.ft_config import freqtrade_config, process_config, write_config
    from gentrade_engine.backtest.offline_exchange import OfflineBinance
    from gentrade_engine.backtest.strategy_check import check_strategy, stage_strategy
    from gentrade_engine.hyperopt.search import Search

    bt = request.backtest
    bt.results_dir.mkdir(parents=True, exist_ok=True)
    user_data_dir = create_userdata_dir(str(bt.results_dir / "user_data"), create_dir=True)
    staged = stage_strategy(bt.strategy_path, bt.results_dir / "user_data" / "strategies")
    config_path = bt.results_dir / "config.json"
    write_config(freqtrade_config(bt, staged.parent), config_path)
    config, _filled = process_config(
        config_path,
        bt,
        user_data_dir,
        hyperopt={
            "epochs": request.epochs,
            "spaces": list(request.spaces),
            "hyperopt_loss": request.loss_class,
            "hyperopt_random_state": request.random_state,
            "hyperopt_jobs": 1,
            "hyperopt_min_trades": 1,
        },
    )
    check_strategy(config, staged)
    exchange = OfflineBinance(
        config, markets=snapshot.markets, leverage_tiers=snapshot.leverage_tiers, load_leverage_tiers=True
    )
    try:
        search = Search(config, exchange, on_epoch)
        search.start()
    except OperationalException as err:
        if _no_parameters(err):
            raise EngineError(
                "NO_PARAMETERS",
                "The strategy declares no hyperopt parameters (IntParameter, DecimalParameter...) "
                f"in the spaces asked for ({', '.join(request.spaces)}), so there is nothing to tune.",
            ) from None
        raise
    finally:
        Backtesting.cleanup()
        exchange.close()
    best = search.current_best_epoch
    if best is None:
        raise EngineError(
            "NO_RESULT",
            f"No epoch of {request.epochs} made a trade on the training part, so there is no best.",
        )
    return {
        "staged": staged,
        "epochs_run": search.num_epochs_saved,
        "best": {
            "loss": float(best["loss"]),
            "epoch": int(best["current_epoch"]),
            "params": best["params_details"],
        },
        "baseline_loss": search.baseline_loss,
    }


def _backtest(request: BacktestRequest, staged: Path, part: str, timerange: Any, snapshot: Any):
    """Freqtrade's backtest of the staged strategy (and its parameter file) on one part."""
    part_request = dataclasses.replace(
        request, strategy_path=staged, results_dir=request.results_dir / part, timerange=timerange
    )
    stored = backtest_run._run_freqtrade(part_request, snapshot, backtest_run._Timer())
    return {"result_path": str(stored.result_path), "trades": stored.trades}


def run_hyperopt(
    raw: str | dict[str, Any], *, raise_memory: bool = False, on_epoch: OnEpoch | None = None
) -> dict[str, Any]:
    """Runs one hyperopt request and returns the reply; every outcome is a reply dict."""
    request: HyperoptRequest | None = None
    try:
        request = parse_hyperopt(raw if isinstance(raw, str) else json.dumps(raw))
        snapshot = backtest_run._preflight(request.backtest)
        found = _search(request, snapshot, on_epoch)
        bt = request.backtest
        train = _backtest(bt, found["staged"], "train", bt.timerange, snapshot)
        test = (
            _backtest(bt, found["staged"], "test", request.test_timerange, snapshot)
            if request.test_timerange is not None
            else None
        )
    except EngineError as err:
        logger.error("hyperopt rejected: %s %s", err.code, err.message)
        return {"ok": False, "code": err.code, "message": err.message}
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the worker must always answer
        if raise_memory and backtest_run.caused_by_memory(err):
            raise
        traceback.print_exc(file=sys.stderr)
        code, message = backtest_run._unexpected(err, request.backtest if request else None)
        return {"ok": False, "code": code, "message": message.replace("backtest", "optimisation")}
    params_file = found["staged"].with_suffix(".json")
    return {
        "ok": True,
        "strategy": request.backtest.strategy_class,
        "loss": request.loss,
        "epochs": request.epochs,
        "epochs_run": found["epochs_run"],
        "best": found["best"],
        "baseline_loss": found["baseline_loss"],
        "params_path": str(params_file) if params_file.is_file() else None,
        "train": train,
        "test": test,
    }


_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
# The longest a search may run (the app refuses one that would need more before queueing it).
MAX_SEARCH_SECONDS = 6 * 3600.0


def search_candles(request: dict[str, Any]) -> int:
    """Candles one epoch backtests: the pairs times the candles of the training range (0 when
    unreadable), as the app's runner counts them (freqtrade/runner.ts)."""
    timerange, timeframe, pairs = request.get("timerange"), request.get("timeframe"), request.get("pairs")
    range_match = re.fullmatch(r"(\d{8})-(\d{8})", timerange) if isinstance(timerange, str) else None
    tf_match = re.fullmatch(r"(\d+)([mhdw])", timeframe) if isinstance(timeframe, str) else None
    if not range_match or not tf_match or not isinstance(pairs, list):
        return 0
    try:
        start, end = (datetime.strptime(d, "%Y%m%d") for d in range_match.groups())
    except ValueError:
        return 0
    minutes = (end - start).total_seconds() / 60
    candle = int(tf_match.group(1)) * _UNIT_MINUTES[tf_match.group(2)]
    return math.ceil(minutes / candle) * len(pairs) if minutes > 0 and candle > 0 else 0


def oneshot_limits(request: dict[str, Any]) -> Limits:
    """A search is many backtests: its wall clock and CPU grow with the epochs asked for and the
    candles each epoch backtests (as the local runner sizes it), never below a backtest's. A bad
    `epochs` is the child's parser's to word."""
    epochs = request.get("epochs")
    if isinstance(epochs, bool) or not isinstance(epochs, int):
        epochs = 1
    base = Limits()
    per_epoch = max(3.0, search_candles(request) / 10_000)
    needed = 120.0 + per_epoch * min(max(epochs, 1), MAX_EPOCHS)
    seconds = min(MAX_SEARCH_SECONDS, max(base.timeout_seconds, needed))
    return Limits(cpu_seconds=int(seconds), memory_mb=base.memory_mb, timeout_seconds=seconds)


def main() -> int:
    """The one-shot `hyperopt` subcommand (server/oneshot.py): one progress line per epoch
    (`{"event": "progress", "phase": "hyperopt", "percent", "epochs", "total", "best_loss"}`), then
    the reply the warm server would give."""
    from gentrade_engine.server.oneshot import run_oneshot

    return run_oneshot("hyperopt", run_hyperopt, oneshot_limits)
