# Timeframe facts the engine needs without importing Freqtrade: which timeframes
# gen-data writes, which ones Binance spot knows, and Freqtrade's data file names.

from __future__ import annotations

import re
from pathlib import Path

BASE_TIMEFRAME = "5m"

# Generated timeframes with their length in 5m candles.
GENERATED_TIMEFRAMES: dict[str, int] = {"5m": 1, "15m": 3, "1h": 12, "4h": 48, "1d": 288}

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
