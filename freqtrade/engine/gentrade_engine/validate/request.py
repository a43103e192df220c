# The validate request, parsed once at the edge (unknown fields are rejected, as in
# the backtest request). Only strategy_path, datadir and markets_path are required.

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gentrade_engine.backtest.request import _IDENTIFIER_RE, parse_trading_mode
from gentrade_engine.backtest.timerange import parse_timerange
from gentrade_engine.errors import EngineError
from gentrade_engine.server.sandbox import Limits
from gentrade_engine.timeframes import BINANCE_TIMEFRAMES

_FIELDS = frozenset(
    {
        "strategy_path",
        "strategy_class",
        "datadir",
        "markets_path",
        "timeframe",
        "pairs",
        "timerange",
        "smoke",
        "lookahead",
        "limits",
        "trading_mode",
    }
)
# What a validation may use unless the request (or the server envelope) says otherwise: a load
# and a 30-day smoke backtest take a few CPU seconds, so a spin (in Python or inside C) is stopped
# in seconds. Freqtrade's lookahead analysis runs many backtests and gets the larger budget.
_LIMIT_FIELDS = {"cpu_seconds": 20, "memory_mb": 3072, "timeout_seconds": 60}
_LOOKAHEAD_LIMIT_FIELDS = {"cpu_seconds": 120, "memory_mb": 3072, "timeout_seconds": 180}


def default_limits(lookahead: bool) -> Limits:
    return Limits(**(_LOOKAHEAD_LIMIT_FIELDS if lookahead else _LIMIT_FIELDS))


@dataclass(frozen=True)
class ValidateRequest:
    strategy_path: Path
    strategy_class: str | None
    datadir: Path
    markets_path: Path
    timeframe: str | None
    pairs: tuple[str, ...]
    timerange: str | None
    smoke: bool
    lookahead: bool
    limits: Limits
    trading_mode: str = "spot"


def _bad(message: str) -> EngineError:
    return EngineError("BAD_REQUEST", message)


def _path(raw: dict[str, Any], key: str) -> Path:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"The request field '{key}' must be a non-empty string.")
    return Path(value.strip()).expanduser().resolve()


def _optional_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"The request field '{key}' must be a non-empty string when given.")
    return value.strip()


def _bool(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise _bad(f"The request field '{key}' must be true or false.")
    return value


def parse_limits(raw: Any, lookahead: bool = False) -> Limits:
    """The request's `limits` object over the validate defaults."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict) or set(raw) - set(_LIMIT_FIELDS):
        raise _bad(f"The request field 'limits' may only set {', '.join(_LIMIT_FIELDS)}.")
    values = {**(_LOOKAHEAD_LIMIT_FIELDS if lookahead else _LIMIT_FIELDS), **raw}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _bad(f"The limit '{key}' must be a positive whole number.")
    return Limits(**values)


def _pairs(raw: dict[str, Any]) -> tuple[str, ...]:
    value = raw.get("pairs", ["BTC/USDT"])
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p for p in value):
        raise _bad("The request field 'pairs' must be a non-empty list of pairs like 'BTC/USDT'.")
    return tuple(dict.fromkeys(p.strip() for p in value))


def parse_validate_request(raw: Any) -> ValidateRequest:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as err:
            raise _bad(
                f"The validate request is not valid JSON ({err.msg} at line {err.lineno})."
            ) from None
    if not isinstance(raw, dict):
        raise _bad("The validate request must be a JSON object.")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise _bad(f"The validate request has unknown fields: {', '.join(unknown)}.")
    strategy_class = _optional_str(raw, "strategy_class")
    if strategy_class is not None and not _IDENTIFIER_RE.match(strategy_class):
        raise _bad(f"'{strategy_class}' is not a valid Python class name.")
    timeframe = _optional_str(raw, "timeframe")
    if timeframe is not None and timeframe not in BINANCE_TIMEFRAMES:
        raise _bad(f"The timeframe '{timeframe}' is not offered by Binance.")
    timerange = _optional_str(raw, "timerange")
    if timerange is not None:
        parse_timerange(timerange)
    return ValidateRequest(
        strategy_path=_path(raw, "strategy_path"),
        strategy_class=strategy_class,
        datadir=_path(raw, "datadir"),
        markets_path=_path(raw, "markets_path"),
        timeframe=timeframe,
        pairs=_pairs(raw),
        timerange=timerange,
        smoke=_bool(raw, "smoke", True),
        lookahead=_bool(raw, "lookahead", False),
        limits=parse_limits(raw.get("limits"), _bool(raw, "lookahead", False)),
        trading_mode=parse_trading_mode(raw),
    )
