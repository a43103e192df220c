# Builds the Freqtrade configuration for one request and runs it through Freqtrade's
# own configuration pipeline, exactly as `freqtrade backtesting --config ...` would:
# the config file written here is the one Freqtrade stores alongside its result.
# Two settings follow the strategy rather than the request: its protections always apply (Freqtrade
# ignores them in backtests unless `enable_protections` is set), and a `max_open_trades` the class
# sets itself wins over the request's, which is only the fallback for classes that set none. A
# timeframe, ROI table or stop-loss the class leaves to the config gets Freqtrade's defaults
# (strategy_defaults.py), the same in every run of the code.

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gentrade_engine.backtest import numpy_compat, strategy_defaults
from gentrade_engine.backtest.request import TRADABLE_BALANCE_RATIO, BacktestRequest

_ENV_PREFIX = "FREQTRADE__"


def freqtrade_config(request: BacktestRequest, strategy_dir: Path) -> dict[str, Any]:
    config: dict[str, Any] = {
        "bot_name": "gentrade",
        "strategy": request.strategy_class,
        "strategy_path": str(strategy_dir),
        "timeframe": request.timeframe,
        "timerange": request.timerange.text,
        "stake_currency": request.stake_currency,
        "stake_amount": request.stake_amount,
        "tradable_balance_ratio": TRADABLE_BALANCE_RATIO,
        "dry_run": True,
        "dry_run_wallet": request.starting_balance,
        "max_open_trades": request.max_open_trades,
        "enable_protections": True,
        # Futures: each pair's USDT perpetual (request.exchange_pairs), isolated margin.
        "trading_mode": request.trading_mode,
        "margin_mode": "isolated" if request.futures else "",
        "exchange": {
            "name": "binance",
            "key": "",
            "secret": "",
            "pair_whitelist": list(request.exchange_pairs),
            "pair_blacklist": [],
            "enable_ws": False,
            "ccxt_config": {},
            "ccxt_async_config": {},
        },
        "pairlists": [{"method": "StaticPairList"}],
        "entry_pricing": {"price_side": "same", "use_order_book": False, "price_last_balance": 0.0},
        "exit_pricing": {"price_side": "same", "use_order_book": False},
        "telegram": {"enabled": False, "token": "", "chat_id": ""},
        "internals": {},
        "dataformat_ohlcv": "feather",
        "dataformat_trades": "feather",
    }
    if request.futures:
        # Binance futures tickers carry no price, so Freqtrade insists on order-book pricing;
        # a backtest fills on candles and never reads either.
        for side in ("entry_pricing", "exit_pricing"):
            config[side].update({"use_order_book": True, "order_book_top": 1})
    if request.fee is not None:
        config["fee"] = request.fee
    return config


def process_config(
    config_path: Path,
    request: BacktestRequest,
    user_data_dir: Path,
    hyperopt: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Run Freqtrade's configuration pipeline on the written config, as its CLI does; then put
    in what the class itself says (max_open_trades) and the settings it leaves to the config
    (strategy_defaults.py). Returns the config and the settings that were filled in.
    With `hyperopt` (the CLI's hyperopt arguments: epochs, spaces, loss...), in hyperopt mode."""
    from freqtrade.commands.optimize_commands import setup_optimize_configuration
    from freqtrade.enums import RunMode

    # Every run of strategy code builds its config here first, before the strategy is imported.
    numpy_compat.restore_removed_aliases()
    # The request is the only input: a stray FREQTRADE__* variable must not change a result.
    for name in [n for n in os.environ if n.startswith(_ENV_PREFIX)]:
        del os.environ[name]
    args: dict[str, Any] = {
        "config": [str(config_path)],
        "user_data_dir": str(user_data_dir),
        "datadir": str(request.datadir),
        "export": "trades",
        "exportdirectory": str(user_data_dir / "backtest_results"),
        # Results directories may be reused; never answer from an earlier run's cache.
        "backtest_cache": "none",
    }
    mode = RunMode.BACKTEST if hyperopt is None else RunMode.HYPEROPT
    config: dict[str, Any] = setup_optimize_configuration({**args, **(hyperopt or {})}, mode)
    filled = strategy_defaults.fill_in(config, strategy_defaults.own_settings(config))
    return config, filled


def write_config(config: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
