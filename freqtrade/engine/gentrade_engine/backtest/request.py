# The backtest request schema, parsed once at the edge. Anything malformed becomes
# BAD_REQUEST or BAD_TIMERANGE before Freqtrade is even imported.

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gentrade_engine.backtest.timerange import TimeWindow, parse_timerange
from gentrade_engine.errors import EngineError
from gentrade_engine.pairs import swap_symbol
from gentrade_engine.timeframes import BINANCE_TIMEFRAMES

_REQUIRED = (
    "strategy_path",
    "strategy_class",
    "timeframe",
    "pairs",
    "timerange",
    "datadir",
    "markets_path",
    "results_dir",
    "stake_currency",
    "starting_balance",
    "stake_amount",
    "max_open_trades",
)
_OPTIONAL = ("fee", "trading_mode")
TRADING_MODES = ("spot", "futures")
_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Freqtrade's default share of the wallet that may be staked.
TRADABLE_BALANCE_RATIO = 0.99


@dataclass(frozen=True)
class BacktestRequest:
    strategy_path: Path
    strategy_class: str
    timeframe: str
    pairs: tuple[str, ...]
    timerange: TimeWindow
    datadir: Path
    markets_path: Path
    results_dir: Path
    stake_currency: str
    starting_balance: float
    stake_amount: float | str  # a number or "unlimited"
    max_open_trades: int  # -1 means no limit
    fee: float | None
    # "futures" trades each pair's USDT perpetual with isolated margin; `pairs` keeps the
    # spot names the bot sends, `exchange_pairs` the markets Freqtrade trades.
    trading_mode: str = "spot"

    @property
    def futures(self) -> bool:
        return self.trading_mode == "futures"

    @property
    def exchange_pairs(self) -> tuple[str, ...]:
        """The pairs as the exchange lists them: BTC/USDT, or BTC/USDT:USDT in futures."""
        return tuple(swap_symbol(p) for p in self.pairs) if self.futures else self.pairs


def _bad(message: str) -> EngineError:
    return EngineError("BAD_REQUEST", message)


def _string(raw: dict[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"The request field '{key}' must be a non-empty string.")
    return value.strip()


def _path(raw: dict[str, Any], key: str) -> Path:
    # Relative paths are taken from the worker's current directory.
    return Path(_string(raw, key)).expanduser().resolve()


def _number(raw: dict[str, Any], key: str) -> float:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"The request field '{key}' must be a number.")
    return float(value)


def _pairs(raw: dict[str, Any]) -> tuple[str, ...]:
    value = raw["pairs"]
    if not isinstance(value, list) or not value or not all(isinstance(p, str) for p in value):
        raise _bad("The request field 'pairs' must be a non-empty list of pairs like 'BTC/USDT'.")
    pairs = tuple(p.strip() for p in value)
    if len(set(pairs)) != len(pairs):
        raise _bad("The request field 'pairs' lists the same pair twice.")
    return pairs


def _stake_amount(raw: dict[str, Any]) -> float | str:
    value = raw["stake_amount"]
    if value == "unlimited":
        return "unlimited"
    amount = _number(raw, "stake_amount")
    if amount <= 0:
        raise _bad("The stake amount must be 'unlimited' or a positive number.")
    return amount


def _max_open_trades(raw: dict[str, Any]) -> int:
    value = raw["max_open_trades"]
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or value < -1:
        raise _bad("The request field 'max_open_trades' must be a positive integer or -1.")
    return value


def _fee(raw: dict[str, Any]) -> float | None:
    if raw.get("fee") is None:
        return None
    fee = _number(raw, "fee")
    if not 0 <= fee < 0.1:
        raise _bad("The fee must be a fraction between 0 and 0.1, e.g. 0.001 for 0.1%.")
    return fee


def parse_trading_mode(raw: dict[str, Any]) -> str:
    value = raw.get("trading_mode", "spot")
    if value not in TRADING_MODES:
        raise _bad(f"The request field 'trading_mode' must be one of {', '.join(TRADING_MODES)}.")
    return str(value)


def parse_request(text: str) -> BacktestRequest:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise _bad(
            f"The backtest request is not valid JSON ({err.msg} at line {err.lineno})."
        ) from None
    if not isinstance(raw, dict):
        raise _bad("The backtest request must be a JSON object.")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise _bad(f"The backtest request is missing: {', '.join(missing)}.")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _bad(f"The backtest request has unknown fields: {', '.join(unknown)}.")

    strategy_class = _string(raw, "strategy_class")
    if not _IDENTIFIER_RE.match(strategy_class):
        raise _bad(f"'{strategy_class}' is not a valid Python class name.")
    timeframe = _string(raw, "timeframe")
    if timeframe not in BINANCE_TIMEFRAMES:
        known = ", ".join(sorted(BINANCE_TIMEFRAMES))
        raise _bad(f"The timeframe '{timeframe}' is not offered by Binance; use one of {known}.")
    starting_balance = _number(raw, "starting_balance")
    if starting_balance <= 0:
        raise _bad("The starting balance must be a positive number.")
    stake_amount = _stake_amount(raw)
    tradable = starting_balance * TRADABLE_BALANCE_RATIO
    if isinstance(stake_amount, float) and stake_amount > tradable:
        raise _bad(
            f"The stake amount {stake_amount:g} is larger than the tradable balance {tradable:g} "
            f"({TRADABLE_BALANCE_RATIO:.0%} of the starting balance)."
        )

    return BacktestRequest(
        strategy_path=_path(raw, "strategy_path"),
        strategy_class=strategy_class,
        timeframe=timeframe,
        pairs=_pairs(raw),
        timerange=parse_timerange(raw["timerange"]),
        datadir=_path(raw, "datadir"),
        markets_path=_path(raw, "markets_path"),
        results_dir=_path(raw, "results_dir"),
        stake_currency=_string(raw, "stake_currency"),
        starting_balance=starting_balance,
        stake_amount=stake_amount,
        max_open_trades=_max_open_trades(raw),
        fee=_fee(raw),
        trading_mode=parse_trading_mode(raw),
    )
