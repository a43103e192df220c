# The 5m log-price path of one pair: regime drift, fat-tailed noise with daily and
# weekly seasonality, slowly wandering volatility, rare jumps, mean reversion in
# ranging spells, then a bridge that pins the path to the pair's anchor prices so
# levels stay realistic. Everything is vectorised; only regime spells are looped.

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from scipy.signal import lfilter

from gentrade_engine.pairs import PairSpec
from gentrade_engine.synth.regimes import STEPS_PER_DAY, draw_regimes

STEP_SECONDS = 300
_STEPS_PER_YEAR = 365 * STEPS_PER_DAY
_STUDENT_DF = 5.0
_JUMPS_PER_STEP = 1.0 / (7 * STEPS_PER_DAY)
_KNOT_STEPS = 30 * STEPS_PER_DAY


@dataclass(frozen=True)
class LogPath:
    open_time: np.ndarray  # epoch seconds of each 5m candle's open
    log_close: np.ndarray
    sigma: np.ndarray  # per-step volatility actually used
    shock: np.ndarray  # standardised noise of each step (drives wicks and volume)
    vol_level: np.ndarray
    base_sigma: float


def _seasonality(open_time: np.ndarray) -> np.ndarray:
    hour = (open_time // 3600) % 24
    # 1970-01-01 was a Thursday, so Monday is index 0 after shifting by 3.
    weekday = ((open_time // 86400) + 3) % 7
    intraday = 1.0 + 0.3 * np.cos(2.0 * np.pi * (hour - 15) / 24.0)
    weekend = np.where(weekday >= 5, 0.75, 1.0)
    return intraday * weekend


def _wandering_vol(rng: np.random.Generator, steps: int) -> np.ndarray:
    phi = 0.995
    spread = 0.25
    innovations = rng.standard_normal(steps) * spread * np.sqrt(1.0 - phi * phi)
    log_vol: np.ndarray = lfilter([1.0], [1.0, -phi], innovations)
    return np.exp(log_vol - 0.5 * spread * spread)


def _anchor_times(spec: PairSpec) -> np.ndarray:
    return np.array(
        [datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() for day, _ in spec.anchors]
    )


def _anchor_log_prices(spec: PairSpec, open_time: np.ndarray) -> np.ndarray:
    prices = np.log(np.array([price for _, price in spec.anchors]))
    interpolated: np.ndarray = np.interp(open_time.astype(np.float64), _anchor_times(spec), prices)
    return interpolated


def _bridge(spec: PairSpec, open_time: np.ndarray, free_path: np.ndarray) -> np.ndarray:
    """Bend the free path linearly between knots so it meets the anchor line at each knot.

    Knots sit every ~month (interpolating the quarterly anchors), which keeps the wander
    around realistic levels while leaving every intra-month trend and range intact.
    """
    steps = len(free_path)
    knots = np.unique(np.concatenate((np.arange(0, steps, _KNOT_STEPS), [steps - 1])))
    index = np.arange(steps)
    correction: np.ndarray = np.interp(index, knots, free_path[knots])
    bridged: np.ndarray = free_path - correction + _anchor_log_prices(spec, open_time)
    return bridged


def build_log_path(
    spec: PairSpec, start_epoch: int, steps: int, rng: np.random.Generator
) -> LogPath:
    open_time = start_epoch + np.arange(steps, dtype=np.int64) * STEP_SECONDS
    regimes = draw_regimes(rng, steps)
    base_sigma = spec.annual_vol / np.sqrt(_STEPS_PER_YEAR)

    sigma = base_sigma * regimes.vol_level * _seasonality(open_time) * _wandering_vol(rng, steps)
    shock = rng.standard_t(_STUDENT_DF, steps) / np.sqrt(_STUDENT_DF / (_STUDENT_DF - 2.0))
    returns = sigma * shock + regimes.drift * base_sigma

    for spell in regimes.ranges:
        phi = 0.5 ** (1.0 / spell.half_life)
        noise = sigma[spell.start : spell.stop] * shock[spell.start : spell.stop]
        deviation = lfilter([1.0], [1.0, -phi], noise)
        returns[spell.start : spell.stop] = np.diff(deviation, prepend=0.0)

    jumps = rng.random(steps) < _JUMPS_PER_STEP * regimes.vol_level
    jump_size = rng.normal(0.0, 0.07 * spec.annual_vol, steps)
    returns = returns + np.where(jumps, jump_size, 0.0)

    log_close = _bridge(spec, open_time, np.cumsum(returns))
    return LogPath(
        open_time=open_time,
        log_close=log_close,
        sigma=sigma,
        shock=shock,
        vol_level=regimes.vol_level,
        base_sigma=float(base_sigma),
    )
