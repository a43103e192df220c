# Splits 5m candles into 1m candles that aggregate back to them exactly: inside each 5m
# candle the price runs from its open through its low and its high (the low first more
# often in a rising candle) to its close, so one minute trades the low and one the high,
# and its volume is shared out in whole lots. Prices stay on the tick size.

from __future__ import annotations

import numpy as np

from gentrade_engine.pairs import PairSpec
from gentrade_engine.synth.candles import Candles, decimals, to_increment

MINUTES = 5
_JITTER = 0.1  # of the 5m candle's range, on each minute's close
_WICK = 0.15  # of the 5m candle's range, scale of each minute's wicks
# Separates this stream from the 5m generator's, which is seeded with the pair's seed alone.
_STREAM = 1


def split_minutes(spec: PairSpec, candles: Candles) -> Candles:
    """Five 1m candles for each 5m candle, the same for the same pair and first candle."""
    n = len(candles)
    rng = np.random.default_rng([spec.seed, _STREAM, int(candles.open_time[0]) if n else 0])
    tick = spec.tick_size
    o, hi, lo, c = candles.open, candles.high, candles.low, candles.close

    # When the extremes trade, in minutes into the candle: two points in [0, 5).
    early, late = np.sort(rng.uniform(0.0, MINUTES, (2, n)), axis=0)
    low_first = rng.random(n) < np.where(c > o, 0.7, np.where(c < o, 0.3, 0.5))
    t_low = np.where(low_first, early, late)
    t_high = np.where(low_first, late, early)
    first = np.where(low_first, lo, hi)
    second = np.where(low_first, hi, lo)

    closes = _closes(o, first, second, c, early, late)
    span = (hi - lo)[:, None]
    closes = closes + rng.normal(0.0, _JITTER, closes.shape) * span
    floor_, ceiling = lo[:, None], hi[:, None]
    closes = np.clip(to_increment(np.clip(closes, floor_, ceiling), tick), floor_, ceiling)
    points = np.column_stack((o, closes, c))
    open_, close = points[:, :-1], points[:, 1:]

    body_high = np.maximum(open_, close)
    body_low = np.minimum(open_, close)
    wick_up = np.abs(rng.standard_normal((n, MINUTES))) * _WICK * span
    wick_down = np.abs(rng.standard_normal((n, MINUTES))) * _WICK * span
    high = np.clip(to_increment(body_high + wick_up, tick), body_high, ceiling)
    low = np.clip(to_increment(body_low - wick_down, tick), floor_, body_low)
    row = np.arange(n)
    high[row, t_high.astype(np.int64)] = hi
    low[row, t_low.astype(np.int64)] = lo

    weights = rng.gamma(2.0, 1.0, (n, MINUTES))
    # The minutes that reach the extremes trade more.
    weights[row, t_high.astype(np.int64)] *= 1.5
    weights[row, t_low.astype(np.int64)] *= 1.5
    lots = _share_lots(np.rint(candles.volume / spec.step_size).astype(np.int64), weights)
    volume = np.round(lots * spec.step_size, decimals(spec.step_size))

    open_time = candles.open_time[:, None] + 60 * np.arange(MINUTES, dtype=np.int64)
    return Candles(
        open_time.ravel(), open_.ravel(), high.ravel(), low.ravel(), close.ravel(), volume.ravel()
    )


def _closes(
    o: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    c: np.ndarray,
    early: np.ndarray,
    late: np.ndarray,
) -> np.ndarray:
    """Closes of minutes 1..4: the line open -> first extreme -> second extreme -> close."""
    k = np.arange(1, MINUTES, dtype=np.float64)[None, :]
    a, b = early[:, None], late[:, None]
    # Each branch is only taken where its denominator is positive; the others may divide by zero.
    with np.errstate(divide="ignore", invalid="ignore"):
        to_first = o[:, None] + (first - o)[:, None] * k / a
        between = first[:, None] + (second - first)[:, None] * (k - a) / (b - a)
        to_close = second[:, None] + (c - second)[:, None] * (k - b) / (MINUTES - b)
    closes: np.ndarray = np.where(k <= a, to_first, np.where(k <= b, between, to_close))
    return closes


def _share_lots(lots: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Splits each row's lots by its weights, one lot a minute at least when there are five."""
    floor = (lots >= MINUTES).astype(np.int64)
    rest = lots - MINUTES * floor
    fractions = weights / weights.sum(axis=1, keepdims=True)
    share = np.floor(rest[:, None] * fractions).astype(np.int64)
    # What flooring left over goes to the busiest minute.
    share[np.arange(len(lots)), weights.argmax(axis=1)] += rest - share.sum(axis=1)
    shared: np.ndarray = share + floor[:, None]
    return shared
