# `gen-data`: writes the synthetic candles in the layout Freqtrade's feather data
# handler reads (<PAIR>-<timeframe>.feather with date/open/high/low/close/volume),
# the same bytes on every run for the same arguments. Each pair's USDT perpetual gets
# the same series again as futures candles (futures/<PAIR>_USDT-<tf>-futures.feather),
# its 1h mark candles (-mark, the same series too) and a constant funding rate every
# 8 hours (-funding_rate, pairs.FUNDING_RATE): what a Freqtrade futures backtest loads.

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from gentrade_engine.pairs import (
    FUNDING_INTERVAL_HOURS,
    FUNDING_RATE,
    PAIRS,
    PairSpec,
    pair_by_symbol,
)
from gentrade_engine.synth import Candles, generate_5m, resample
from gentrade_engine.timeframes import GENERATED_TIMEFRAMES, ohlcv_path


@dataclass(frozen=True)
class WrittenFile:
    pair: str
    timeframe: str
    path: Path
    candles: int
    size: int
    first_open: int
    last_open: int


def _frame(candles: Candles) -> pd.DataFrame:
    dates = pd.to_datetime(candles.open_time * 1000, unit="ms", utc=True).as_unit("ms")
    return pd.DataFrame(
        {
            "date": dates,
            "open": candles.open,
            "high": candles.high,
            "low": candles.low,
            "close": candles.close,
            "volume": candles.volume,
        }
    )


def _write_feather(frame: pd.DataFrame, path: Path) -> None:
    # Same codec and level as Freqtrade's own feather writer; write-then-rename so a
    # concurrent reader never sees half a file.
    partial = path.with_name(path.name + ".partial")
    frame.to_feather(partial, compression="lz4", compression_level=9)
    os.replace(partial, path)


# Freqtrade's Binance futures read mark candles and funding rates at this timeframe.
_FUTURES_EXTRAS_TIMEFRAME = "1h"


def _funding_frame(hourly: pd.DataFrame) -> pd.DataFrame:
    # One row per funding time, like Binance's funding-rate history stored at 1h.
    at_funding = hourly["date"].dt.hour % FUNDING_INTERVAL_HOURS == 0
    dates = hourly.loc[at_funding, "date"].reset_index(drop=True)
    return pd.DataFrame({"date": dates, "funding_rate": FUNDING_RATE})


def _write_futures(spec: PairSpec, out: Path, timeframe: str, frame: pd.DataFrame) -> None:
    pair = spec.swap_symbol
    ohlcv_path(out, pair, timeframe, "futures").parent.mkdir(exist_ok=True)
    _write_feather(frame, ohlcv_path(out, pair, timeframe, "futures"))
    if timeframe == _FUTURES_EXTRAS_TIMEFRAME:
        _write_feather(frame, ohlcv_path(out, pair, timeframe, "mark"))
        _write_feather(_funding_frame(frame), ohlcv_path(out, pair, timeframe, "funding_rate"))


def write_pair(spec: PairSpec, out: Path, start: date, days: int) -> list[WrittenFile]:
    start_epoch = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
    base = generate_5m(spec, start_epoch, days)
    written = []
    for timeframe, factor in GENERATED_TIMEFRAMES.items():
        candles = resample(base, factor, spec.step_size)
        path = ohlcv_path(out, spec.symbol, timeframe)
        frame = _frame(candles)
        _write_feather(frame, path)
        _write_futures(spec, out, timeframe, frame)
        written.append(
            WrittenFile(
                spec.symbol,
                timeframe,
                path,
                len(candles),
                path.stat().st_size,
                int(candles.open_time[0]),
                int(candles.open_time[-1]),
            )
        )
    return written


def _price(value: float) -> str:
    return f"{value:,.2f}" if value >= 10 else f"{value:.4f}"


def _summary_line(spec: PairSpec, base: WrittenFile, daily: pd.DataFrame) -> str:
    return (
        f"{spec.symbol:<9} {base.candles:>7} x 5m  "
        f"{daily['date'].iloc[0]:%Y-%m-%d} .. {daily['date'].iloc[-1]:%Y-%m-%d}  "
        f"price {_price(daily['open'].iloc[0])} -> {_price(daily['close'].iloc[-1])}  "
        f"range {_price(daily['low'].min())} .. {_price(daily['high'].max())}"
    )


def generate(out: Path, start: date, end: date, symbols: Sequence[str]) -> list[WrittenFile]:
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    out.mkdir(parents=True, exist_ok=True)
    days = (end - start).days + 1
    written: list[WrittenFile] = []
    for symbol in symbols:
        spec = pair_by_symbol(symbol)
        files = write_pair(spec, out, start, days)
        written.extend(files)
        daily = pd.read_feather(files[-1].path)
        print(_summary_line(spec, files[0], daily), flush=True)
    _write_coverage(out, written)
    return written


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_coverage(out: Path, written: Sequence[WrittenFile]) -> None:
    # The bot reads this to refuse a date range outside the data before queueing a backtest.
    coverage: dict[str, dict[str, dict[str, str]]] = {}
    for f in written:
        coverage.setdefault(f.pair, {})[f.timeframe] = {"first": _iso(f.first_open), "last": _iso(f.last_open)}
    path = out / "coverage.json"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(coverage, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


def run(out: str, start: str, end: str, pairs: str | None) -> int:
    began = time.perf_counter()
    symbols = [p.strip() for p in pairs.split(",")] if pairs else [p.symbol for p in PAIRS]
    written = generate(Path(out), date.fromisoformat(start), date.fromisoformat(end), symbols)
    total = sum(f.size for f in written)
    timeframes = ", ".join(GENERATED_TIMEFRAMES)
    print(
        f"wrote {len(written)} feather files ({total / 1e6:.1f} MB; timeframes {timeframes}) "
        f"to {Path(out).resolve()} in {time.perf_counter() - began:.1f}s",
        flush=True,
    )
    return 0
