# Settings a strategy may leave to the configuration (Freqtrade reads `timeframe`, `minimal_roi`
# and `stoploss` from the config when the class sets none), and what GenTrade uses then. Every run
# of the same code fills in the same values (validation, smoke, diagnosis and real backtests all
# build their config through ft_config.process_config), and the validate verdict says which were
# filled in, so a trader knows the backtest did not use a stop they never wrote. The same trial
# load reads what the class says that the config must follow: its own max_open_trades, and the
# "other" price side Freqtrade demands of a strategy that enters or exits with market orders.
#
# The defaults are Freqtrade's own: `freqtrade new-config` proposes 5m and the sample strategy
# trades 5m with a 10% stop; the strategy resolver's fallback ROI is {"0": 10.0}, a 1000% target,
# so without a table of its own a strategy exits on its signals and its stop alone.

from __future__ import annotations

import math
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

DEFAULT_TIMEFRAME = "5m"
DEFAULT_MINIMAL_ROI: dict[str, float] = {"0": 10.0}
DEFAULT_STOPLOSS = -0.10
# The config's value would hide the class's own: the trial load goes without it.
_OWN_KEYS = ("max_open_trades", "minimal_roi", "stoploss")


@dataclass(frozen=True)
class OwnSettings:
    """What the strategy class sets itself, learnt by loading it once without the config's say."""

    max_open_trades: int | None
    missing: tuple[str, ...]  # of timeframe, minimal_roi, stoploss
    # "entry"/"exit" when the class trades that side with market orders: Freqtrade then wants
    # the price from the other side of the book (a backtest fills on candles either way).
    market_sides: tuple[str, ...] = ()


def _max_open_trades(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value) if value >= 1 and value == int(value) else None


def _class_sets(strategy: Any, name: str) -> bool:
    """True when the strategy's class (or a parent below IStrategy) sets `name`. Freqtrade puts
    config values on the instance, so the class still shows what the code itself wrote."""
    from freqtrade.strategy import IStrategy

    for cls in type(strategy).__mro__:
        if cls is IStrategy or cls is object:
            return False
        value = vars(cls).get(name)
        if value is not None:
            return bool(value) if name == "minimal_roi" else True
    return False


def own_settings(config: dict[str, Any]) -> OwnSettings | None:
    """Loads the class once without the config's say on what the class may set itself; None
    when it can't load (the strategy check that follows words that failure)."""
    from freqtrade.resolvers import StrategyResolver

    trial = deepcopy(config)
    for key in _OWN_KEYS:
        trial.pop(key, None)
    # @informative compares its timeframes with the strategy's while the class is set up.
    trial.setdefault("timeframe", DEFAULT_TIMEFRAME)
    try:
        strategy = StrategyResolver.load_strategy(trial)
    except (Exception, SystemExit):  # noqa: BLE001 - reported by check_strategy instead
        return None
    settings = ("timeframe", "minimal_roi", "stoploss")
    missing = tuple(name for name in settings if not _class_sets(strategy, name))
    order_types = getattr(strategy, "order_types", None) or {}
    market = tuple(side for side in ("entry", "exit") if order_types.get(side) == "market")
    return OwnSettings(_max_open_trades(trial.get("max_open_trades")), missing, market)


def fill_in(config: dict[str, Any], own: OwnSettings | None) -> tuple[str, ...]:
    """Puts the class's own max_open_trades and the defaults it lacks into the config; returns
    the settings that were filled in (a timeframe the request gave counts: the class has none)."""
    if own is None:
        return ()
    if own.max_open_trades is not None:
        config["max_open_trades"] = own.max_open_trades
    for side in own.market_sides:
        config[f"{side}_pricing"]["price_side"] = "other"
    if "timeframe" in own.missing:
        config.setdefault("timeframe", DEFAULT_TIMEFRAME)
    if "minimal_roi" in own.missing:
        config["minimal_roi"] = dict(DEFAULT_MINIMAL_ROI)
    if "stoploss" in own.missing:
        config["stoploss"] = DEFAULT_STOPLOSS
    return own.missing


def notes(filled: tuple[str, ...], timeframe: str | None, from_request: bool) -> list[str]:
    """One sentence per setting GenTrade filled in, for the verdict and the chat reply."""
    said: list[str] = []
    if "timeframe" in filled and timeframe:
        source = "the timeframe asked for" if from_request else "Freqtrade's default"
        said.append(f"The strategy sets no timeframe; GenTrade used {timeframe}, {source}.")
    if "minimal_roi" in filled:
        said.append(
            'The strategy sets no minimal_roi; GenTrade used {"0": 10} (Freqtrade\'s default: '
            "no profit target, so trades close on exit signals and the stop-loss)."
        )
    if "stoploss" in filled:
        said.append(
            f"The strategy sets no stoploss; GenTrade used {DEFAULT_STOPLOSS:.0%} "
            "(the stop in Freqtrade's sample strategy)."
        )
    return said
