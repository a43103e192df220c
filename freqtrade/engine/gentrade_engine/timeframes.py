# Timeframe facts the engine needs without importing Freqtrade: which timeframes
# gen-data writes, which ones Binance spot knows, and Freqtrade's data file names.

from __future__ import annotations

import re
from pathlib import Path

BASE_TIMEFRAME = "5m"

# Timeframes aggregated from the 5m series over the whole range, shortest first.
AGGREGATED_TIMEFRAMES: tuple[str, ...] = (
    "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w"
)

# Timeframes built from 1m candles split out of the 5m ones. They cover only the last MINUTE_DAYS
# days of the range: the whole range at 1m would be five times the size of the 5m data.
MINUTE_TIMEFRAMES: tuple[str, ...] = ("1m", "3m")
MINUTE_DAYS = 90

# Every timeframe gen-data writes, shortest first.
GENERATED_TIMEFRAMES: tuple[str, ...] = (*MINUTE_TIMEFRAMES, *AGGREGATED_TIMEFRAMES)

# Binance's weekly candles open on Monday 00:00 UTC (so does ccxt's round_timeframe): weeks count
# from Monday 1970-01-05. Every other grid, 3d included, counts from the epoch, as ccxt's does.
_WEEK_ORIGIN = 4 * 86400

# Candle intervals Binance spot offers (ccxt's binance.timeframes).
BINANCE_TIMEFRAMES = frozenset(
    {"1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h"}
    | {"1d", "3d", "1w", "1M"}
)

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000}
_TIMEFRAME_RE = re.compile(r"^(\d+)([smhdwM])$")

# Freqtrade replaces these characters with "_" when it turns a pair into a file name.
_FILENAME_UNSAFE = ("/", " ", ".", "@", "$", "+", ":")


def timeframe_seconds(timeframe: str) -> int:
    match = _TIMEFRAME_RE.match(timeframe)
    if not match:
        raise ValueError(f"not a timeframe: {timeframe!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def candle_origin(timeframe: str) -> int:
    """An epoch second on which a candle of this timeframe opens (candles open every
    timeframe_seconds from there)."""
    return _WEEK_ORIGIN if timeframe.endswith("w") else 0


def pair_file_stem(pair: str) -> str:
    for char in _FILENAME_UNSAFE:
        pair = pair.replace(char, "_")
    return pair


def ohlcv_path(datadir: Path, pair: str, timeframe: str, candle_type: str = "spot") -> Path:
    """Where Freqtrade's feather handler looks for candles ("1M" is stored as "1Mo").

    Spot candles sit in the data directory itself; every other candle type (futures, mark,
    funding_rate) in its `futures` folder, with the type as a suffix.
    """
    name = f"{pair_file_stem(pair)}-{timeframe.replace('M', 'Mo')}"
    if candle_type == "spot":
        return datadir / f"{name}.feather"
    return datadir / "futures" / f"{name}-{candle_type}.feather"
