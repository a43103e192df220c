# Checks made before Freqtrade starts, so that the common mistakes (a pair the
# exchange doesn't list, no candles for the range, a missing strategy file) come
# back as one clear sentence instead of a Freqtrade log line or traceback.

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.feather as feather

from gentrade_engine.backtest.request import BacktestRequest
from gentrade_engine.backtest.timerange import TimeWindow
from gentrade_engine.errors import EngineError
from gentrade_engine.timeframes import ohlcv_path, pair_file_stem, timeframe_seconds

Markets = dict[str, dict[str, Any]]
LeverageTiers = dict[str, list[dict[str, Any]]]


def load_markets(path: Path) -> Markets:
    markets = _read_json(path)
    if not isinstance(markets, dict) or not all(isinstance(m, dict) for m in markets.values()):
        raise EngineError(
            "BAD_REQUEST", f"The markets snapshot {path} is not a symbol->market map."
        )
    return markets


@dataclass(frozen=True)
class Snapshot:
    """What the offline exchange serves: markets, and leverage tiers for futures."""

    markets: Markets
    leverage_tiers: LeverageTiers


def load_snapshot(request: BacktestRequest) -> Snapshot:
    if request.futures:
        return Snapshot(*load_futures_snapshot(request.markets_path))
    return Snapshot(load_markets(request.markets_path), {})


def load_futures_snapshot(markets_path: Path) -> tuple[Markets, LeverageTiers]:
    """The perpetuals and their leverage tiers, from the snapshot beside the spot markets."""
    from gentrade_engine.synth.markets import futures_snapshot_path

    path = futures_snapshot_path(markets_path)
    snapshot = _read_json(path)
    markets = snapshot.get("markets") if isinstance(snapshot, dict) else None
    tiers = snapshot.get("leverage_tiers") if isinstance(snapshot, dict) else None
    if not isinstance(markets, dict) or not isinstance(tiers, dict):
        raise EngineError(
            "BAD_REQUEST",
            f"The futures snapshot {path} needs 'markets' and 'leverage_tiers' maps; "
            "run the bootstrap again to regenerate it.",
        )
    return markets, tiers


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EngineError("BAD_REQUEST", f"The markets snapshot {path} does not exist.") from None
    except (OSError, ValueError) as err:
        raise EngineError(
            "BAD_REQUEST", f"The markets snapshot {path} could not be read ({err})."
        ) from None


def check_pairs(markets: Markets, pairs: tuple[str, ...], stake_currency: str) -> None:
    unknown = [pair for pair in pairs if pair not in markets]
    if unknown:
        listed = ", ".join(sorted(markets)) or "none"
        verb = "is" if len(unknown) == 1 else "are"
        raise EngineError(
            "UNKNOWN_PAIR",
            f"{', '.join(unknown)} {verb} not listed on the exchange; available pairs: {listed}.",
        )
    wrong_quote = [pair for pair in pairs if markets[pair].get("quote") != stake_currency]
    if wrong_quote:
        raise EngineError(
            "BAD_REQUEST",
            f"{', '.join(wrong_quote)} cannot be traded with a {stake_currency} stake; "
            f"pick pairs quoted in {stake_currency}.",
        )


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _describe_window(window: TimeWindow) -> str:
    if window.start and window.stop:
        return f"between {_day(window.start)} and {_day(window.stop)}"
    if window.start:
        return f"after {_day(window.start)}"
    assert window.stop is not None
    return f"before {_day(window.stop)}"


def _read_dates(path: Path) -> pd.Series:
    # Only the date column: a 3-year 5m file is read in milliseconds this way.
    return feather.read_table(path, columns=["date"]).column("date").to_pandas()


def _in_window(dates: pd.Series, window: TimeWindow) -> int:
    mask = dates.notna()
    if window.start:
        mask &= dates >= window.start
    if window.stop:
        mask &= dates < window.stop
    return int(mask.sum())


def _timeframes_on_disk(datadir: Path, pair: str, candle_type: str) -> list[str]:
    prefix = f"{pair_file_stem(pair)}-"
    suffix = "" if candle_type == "spot" else f"-{candle_type}"
    folder = ohlcv_path(datadir, pair, "1h", candle_type).parent
    found = {
        p.stem[len(prefix) : len(p.stem) - len(suffix)]
        for p in folder.glob(f"{prefix}*{suffix}.feather")
    }
    return sorted((tf for tf in found if _is_timeframe(tf)), key=timeframe_seconds)


def _is_timeframe(text: str) -> bool:
    try:
        timeframe_seconds(text)
    except ValueError:
        return False
    return True


def _gap_for_pair(
    datadir: Path, pair: str, timeframe: str, window: TimeWindow, candle_type: str
) -> str | None:
    path = ohlcv_path(datadir, pair, timeframe, candle_type)
    if not path.is_file():
        others = _timeframes_on_disk(datadir, pair, candle_type)
        has = f"only {', '.join(others)} data exists" if others else "there is no data for it"
        return f"{pair} has no {timeframe} candles ({has})"
    dates = _read_dates(path)
    if dates.empty:
        return f"{pair} has an empty {timeframe} data file"
    if _in_window(dates, window) == 0:
        first, last = dates.min(), dates.max()
        return (
            f"{pair} has no {timeframe} candles {_describe_window(window)} "
            f"(its data covers {_day(first)} to {_day(last)})"
        )
    return None


def check_data(request: BacktestRequest) -> None:
    if not request.datadir.is_dir():
        raise EngineError("NO_DATA", f"The data directory {request.datadir} does not exist.")
    candle_type = "futures" if request.futures else "spot"
    gaps = [
        gap
        for pair in request.exchange_pairs
        if (
            gap := _gap_for_pair(
                request.datadir, pair, request.timeframe, request.timerange, candle_type
            )
        )
    ]
    if gaps:
        raise EngineError("NO_DATA", f"Not enough data to backtest: {'; '.join(gaps)}.")


def check_strategy_file(path: Path) -> None:
    if not path.is_file():
        raise EngineError("STRATEGY_LOAD", f"The strategy file {path} does not exist.")
    if path.suffix != ".py":
        raise EngineError("STRATEGY_LOAD", f"The strategy file {path} is not a .py file.")
