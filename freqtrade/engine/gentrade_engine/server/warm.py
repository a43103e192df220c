# Everything a run needs, imported once in the server so each forked child starts warm:
# Freqtrade's backtesting, its configuration and strategy loading, TA-Lib, pandas and our own
# backtest modules and the validation pipeline.

from __future__ import annotations

import logging
import os

logger = logging.getLogger("gentrade_engine")

# BLAS thread pools are not fork-safe and only add idle threads to every child.
_SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_math() -> None:
    """Call before numpy is imported."""
    for name in _SINGLE_THREADED:
        os.environ.setdefault(name, "1")


def warm_up() -> bool:
    """Import the heavy modules; returns whether `validate` is available."""
    import pandas  # noqa: F401
    import talib.abstract  # noqa: F401
    from freqtrade.commands.optimize_commands import setup_optimize_configuration  # noqa: F401
    from freqtrade.configuration.config_validation import validate_config_consistency  # noqa: F401
    from freqtrade.configuration.directory_operations import create_userdata_dir  # noqa: F401
    # What every backtest imported in its own child before: the exchange check, the report's emoji
    # table. Not the feather data handler: with pyarrow's dataset modules loaded before the fork, a
    # child over its memory limit dies without an answer instead of reporting the limit.
    from freqtrade.exchange import check_exchange  # noqa: F401
    from pandas.core.methods import to_dict  # noqa: F401
    from rich import _emoji_codes  # noqa: F401
    from freqtrade.optimize.backtesting import Backtesting  # noqa: F401
    from freqtrade.resolvers import StrategyResolver  # noqa: F401
    from freqtrade.strategy import IStrategy  # noqa: F401
    from technical import qtpylib  # noqa: F401

    from gentrade_engine.backtest import (  # noqa: F401
        ft_config,
        network_guard,
        offline_exchange,
        preflight,
        strategy_check,
    )

    try:
        from gentrade_engine.validate import (  # noqa: F401
            diagnose_request,
            diagnosis,
            load_stage,
            pipeline,
            smoke,
            stages,
        )
    except Exception:
        logger.exception("the validation pipeline failed to import")
        return False
    return True
