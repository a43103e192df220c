# Stage 2, in the sandboxed child: Freqtrade's resolver loads the class (this is the
# first time the candidate code runs), then its required settings are checked. Settings the
# class leaves to the config get Freqtrade's defaults, said in the verdict's notes.

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gentrade_engine.backtest import strategy_defaults
from gentrade_engine.backtest.ft_config import freqtrade_config, process_config, write_config
from gentrade_engine.backtest.strategy_check import (
    check_strategy,
    settings_problems,
    stage_strategy,
)
from gentrade_engine.errors import EngineError
from gentrade_engine.validate.job import SandboxJob


@dataclass(frozen=True)
class Loaded:
    strategy: Any  # IStrategy
    config: dict[str, Any]
    problems: list[tuple[str, str]]
    notes: list[str]


@dataclass(frozen=True)
class Setup:
    config: dict[str, Any]
    staged: Path
    filled: tuple[str, ...]  # settings the class leaves to the config, filled with defaults


def freqtrade_setup(job: SandboxJob, name: str, timeframe: str | None, timerange: str) -> Setup:
    """Freqtrade's processed config and the staged strategy for one run folder."""
    from freqtrade.configuration.directory_operations import create_userdata_dir

    request = job.backtest_request(name, timeframe or "1h", timerange)
    request.results_dir.mkdir(parents=True, exist_ok=True)
    user_data = create_userdata_dir(str(request.results_dir / "user_data"), create_dir=True)
    staged = stage_strategy(request.strategy_path, request.results_dir / "user_data" / "strategies")
    config = freqtrade_config(request, staged.parent)
    if timeframe is None:
        del config["timeframe"]  # the strategy's own timeframe applies
    config_path = request.results_dir / "config.json"
    write_config(config, config_path)
    processed, filled = process_config(config_path, request, user_data)
    return Setup(processed, staged, filled)


def _interface_2(strategy: Any) -> bool:
    """Written for interface 2: populate_buy_trend of its own, no populate_entry_trend."""
    from freqtrade.strategy import IStrategy

    cls = type(strategy)
    return (
        cls.populate_buy_trend is not IStrategy.populate_buy_trend
        and cls.populate_entry_trend is IStrategy.populate_entry_trend
    )


def load(job: SandboxJob) -> Loaded:
    """Raises EngineError(STRATEGY_LOAD) when Freqtrade cannot load the class."""
    setup = freqtrade_setup(job, "load", job.timeframe, job.timerange or "20240101-")
    strategy = check_strategy(setup.config, setup.staged)
    if strategy is None:
        raise EngineError("STRATEGY_LOAD", "The strategy could not be loaded.")
    said = strategy_defaults.notes(
        setup.filled, setup.config.get("timeframe"), from_request=job.timeframe is not None
    )
    if _interface_2(strategy):
        said.append(
            "The strategy uses Freqtrade's interface version 2 (populate_buy_trend and "
            "populate_sell_trend), which Freqtrade 2026.9 still runs for spot markets."
        )
    return Loaded(strategy, setup.config, settings_problems(strategy), said)
