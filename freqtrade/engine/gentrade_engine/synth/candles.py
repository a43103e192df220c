# Turns a 5m log-price path into exchange-like OHLCV candles (tick-rounded prices,
# lot-rounded volume that rises with volatility) and aggregates them into longer
# timeframes, so every timeframe of a pair tells exactly the same story.

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gentrade_engine.pairs import PairSpec
from gentrade_engine.synth.path import LogPath

_WICK_SCALE = 0.7


@dataclass(frozen=True)
class Candles:
    open_time: np.ndarray  # epoch seconds
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return len(self.open_time)

    def rows(self, start: int, stop: int) -> Candles:
        """Candles start..stop-1, as views on the same arrays."""
        return Candles(
            self.open_time[start:stop],
            self.open[start:stop],
            self.high[start:stop],
            self.low[start:stop],
            self.close[start:stop],
            self.volume[start:stop],
        )


def decimals(increment: float) -> int:
    return max(0, -math.floor(math.log10(increment) + 1e-9))


def to_increment(values: np.ndarray, increment: float) -> np.ndarray:
    return np.round(np.round(values / increment) * increment, decimals(increment))


def candles_from_path(spec: PairSpec, path: LogPath, rng: np.random.Generator) -> Candles:
    steps = len(path.log_close)
    tick = spec.tick_size
    close = np.maximum(to_increment(np.exp(path.log_close), tick), tick)
    first_open = np.exp(path.log_close[0] - path.sigma[0] * path.shock[0])
    open_ = np.concatenate(
        ([max(to_increment(np.array([first_open]), tick)[0], tick)], close[:-1])
    )

    wick_up = np.abs(rng.standard_normal(steps)) * path.sigma * _WICK_SCALE
    wick_down = np.abs(rng.standard_normal(steps)) * path.sigma * _WICK_SCALE
    body_high = np.maximum(open_, close)
    body_low = np.minimum(open_, close)
    high = np.maximum(to_increment(body_high * np.exp(wick_up), tick), body_high)
    low = np.maximum(np.minimum(to_increment(body_low * np.exp(-wick_down), tick), body_low), tick)

    # Activity follows volatility: calm regimes trade thin, shocks trade heavy.
    activity = (path.sigma / path.base_sigma) ** 1.2 * (0.5 + 0.5 * np.abs(path.shock))
    noise = rng.lognormal(-0.5 * 0.35**2, 0.35, steps)
    quote_volume = spec.daily_quote_volume / 288.0 * activity * noise
    volume = np.maximum(to_increment(quote_volume / close, spec.step_size), spec.step_size)

    return Candles(path.open_time, open_, high, low, close, volume)


def resample(candles: Candles, factor: int, step_size: float) -> Candles:
    """Aggregate every `factor` consecutive candles; the input must start on a boundary."""
    if factor == 1:
        return candles
    if len(candles) % factor:
        raise ValueError(f"{len(candles)} candles do not split into groups of {factor}")

    def grouped(values: np.ndarray) -> np.ndarray:
        return values.reshape(-1, factor)

    return Candles(
        open_time=grouped(candles.open_time)[:, 0],
        open=grouped(candles.open)[:, 0],
        high=grouped(candles.high).max(axis=1),
        low=grouped(candles.low).min(axis=1),
        close=grouped(candles.close)[:, -1],
        volume=np.round(grouped(candles.volume).sum(axis=1), decimals(step_size)),
    )


def aggregate(
    candles: Candles, base_seconds: int, seconds: int, origin: int, step_size: float
) -> Candles:
    """The whole `seconds` candles on the grid through `origin` that `base_seconds` candles fill.

    A candle the range cuts at either end (a week the first day falls inside) is left out rather
    than written short; with none whole, the result is empty.
    """
    factor = seconds // base_seconds
    if len(candles) == 0:
        return candles
    past_line = (int(candles.open_time[0]) - origin) % seconds
    skip = (seconds - past_line) % seconds // base_seconds
    whole = max(0, (len(candles) - skip) // factor)
    return resample(candles.rows(skip, skip + whole * factor), factor, step_size)

