# Stage 2, in the sandboxed child: Freqtrade's resolver loads the class (this is the
# first time the candidate code runs), then its required settings are checked.

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def freqtrade_setup(
    job: SandboxJob, name: str, timeframe: str | None, timerange: str
) -> tuple[dict[str, Any], Path]:
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
    return process_config(config_path, request, user_data), staged


def load(job: SandboxJob) -> Loaded:
    """Raises EngineError(STRATEGY_LOAD) when Freqtrade cannot load the class."""
    config, staged = freqtrade_setup(job, "load", job.timeframe, job.timerange or "20240101-")
    strategy = check_strategy(config, staged)
    if strategy is None:
        raise EngineError("STRATEGY_LOAD", "The strategy could not be loaded.")
    return Loaded(strategy, config, settings_problems(strategy))
