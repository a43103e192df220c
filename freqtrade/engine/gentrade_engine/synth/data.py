# `gen-data`: writes the synthetic candles in the layout Freqtrade's feather data
# handler reads (<PAIR>-<timeframe>.feather with date/open/high/low/close/volume),
# the same bytes on every run for the same arguments. Every timeframe from 5m up is
# aggregated from one 5m series over the whole range; 1m (split out of the 5m candles)
# and 3m cover its last MINUTE_DAYS days. Each pair's USDT perpetual gets the same
# series again as futures candles (futures/<PAIR>_USDT-<tf>-futures.feather), its 1h
# mark candles (-mark, the same series too) and a constant funding rate every 8 hours
# (-funding_rate, pairs.FUNDING_RATE): what a Freqtrade futures backtest loads.

from __future__ import annotations

import json
import os
import shutil
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
from gentrade_engine.synth import Candles, aggregate, generate_5m, split_minutes
from gentrade_engine.synth.regimes import STEPS_PER_DAY
from gentrade_engine.timeframes import (
    AGGREGATED_TIMEFRAMES,
    BASE_TIMEFRAME,
    GENERATED_TIMEFRAMES,
    MINUTE_DAYS,
    MINUTE_TIMEFRAMES,
    candle_origin,
    ohlcv_path,
    timeframe_seconds,
)


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


def _copy_file(source: Path, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(source, partial)
    os.replace(partial, path)


def _write_futures(spec: PairSpec, out: Path, timeframe: str, spot: Path) -> int:
    """Writes the perpetual's files for one timeframe beside the spot file `spot` (its candles
    are the same bytes: copied, not compressed again); returns their size in bytes."""
    pair = spec.swap_symbol
    paths = [ohlcv_path(out, pair, timeframe, "futures")]
    paths[0].parent.mkdir(exist_ok=True)
    _copy_file(spot, paths[0])
    if timeframe == _FUTURES_EXTRAS_TIMEFRAME:
        paths.append(ohlcv_path(out, pair, timeframe, "mark"))
        _copy_file(spot, paths[-1])
        frame = pd.read_feather(spot)
        paths.append(ohlcv_path(out, pair, timeframe, "funding_rate"))
        _write_feather(_funding_frame(frame), paths[-1])
    return sum(path.stat().st_size for path in paths)


def pair_series(spec: PairSpec, start: date, days: int) -> dict[str, Candles]:
    """Every generated timeframe of one pair, shortest first. A timeframe with no whole
    candle in the range (a week in a 5-day range) is left out."""
    start_epoch = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
    base = generate_5m(spec, start_epoch, days)
    series = {tf: _aggregate(spec, base, BASE_TIMEFRAME, tf) for tf in AGGREGATED_TIMEFRAMES}
    recent = base.rows(len(base) - min(days, MINUTE_DAYS) * STEPS_PER_DAY, len(base))
    one_minute = split_minutes(spec, recent)
    series |= {tf: _aggregate(spec, one_minute, "1m", tf) for tf in MINUTE_TIMEFRAMES}
    return {tf: series[tf] for tf in GENERATED_TIMEFRAMES if len(series[tf]) > 0}


def _aggregate(spec: PairSpec, candles: Candles, source: str, timeframe: str) -> Candles:
    return aggregate(
        candles,
        timeframe_seconds(source),
        timeframe_seconds(timeframe),
        candle_origin(timeframe),
        spec.step_size,
    )


@dataclass(frozen=True)
class Written:
    spot: list[WrittenFile]
    futures_bytes: int  # the perpetuals' files, beside the spot ones


def write_pair(spec: PairSpec, out: Path, start: date, days: int) -> Written:
    spot: list[WrittenFile] = []
    futures_bytes = 0
    for timeframe, candles in pair_series(spec, start, days).items():
        path = ohlcv_path(out, spec.symbol, timeframe)
        _write_feather(_frame(candles), path)
        futures_bytes += _write_futures(spec, out, timeframe, path)
        spot.append(
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
    return Written(spot, futures_bytes)


def _price(value: float) -> str:
    return f"{value:,.2f}" if value >= 10 else f"{value:.4f}"


def _summary_line(spec: PairSpec, base: WrittenFile, daily: pd.DataFrame) -> str:
    return (
        f"{spec.symbol:<9} {base.candles:>7} x 5m  "
        f"{daily['date'].iloc[0]:%Y-%m-%d} .. {daily['date'].iloc[-1]:%Y-%m-%d}  "
        f"price {_price(daily['open'].iloc[0])} -> {_price(daily['close'].iloc[-1])}  "
        f"range {_price(daily['low'].min())} .. {_price(daily['high'].max())}"
    )


def generate(out: Path, start: date, end: date, symbols: Sequence[str]) -> Written:
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    out.mkdir(parents=True, exist_ok=True)
    days = (end - start).days + 1
    written: list[WrittenFile] = []
    futures_bytes = 0
    for symbol in symbols:
        spec = pair_by_symbol(symbol)
        files = write_pair(spec, out, start, days)
        written.extend(files.spot)
        futures_bytes += files.futures_bytes
        by_timeframe = {f.timeframe: f for f in files.spot}
        daily = pd.read_feather(by_timeframe["1d"].path)
        print(_summary_line(spec, by_timeframe["5m"], daily), flush=True)
    _write_coverage(out, written)
    return Written(written, futures_bytes)


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
    done = generate(Path(out), date.fromisoformat(start), date.fromisoformat(end), symbols)
    spot = sum(f.size for f in done.spot)
    print(
        f"wrote {len(done.spot)} feather files ({spot / 1e6:.1f} MB) and their futures copies "
        f"({done.futures_bytes / 1e6:.1f} MB) to {Path(out).resolve()} "
        f"in {time.perf_counter() - began:.1f}s; timeframes {', '.join(GENERATED_TIMEFRAMES)} "
        f"(1m and 3m over the last {MINUTE_DAYS} days only)",
        flush=True,
    )
    return 0
