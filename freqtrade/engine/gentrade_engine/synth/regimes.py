# Market regimes for the synthetic price path: a Markov chain of trending-up,
# trending-down and ranging spells, each with its own volatility level, so that
# trend-following and mean-reversion strategies both find something to trade.

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UP, DOWN, RANGE = 0, 1, 2
STEPS_PER_DAY = 288

# Row = current regime, column = next regime (UP, DOWN, RANGE).
_TRANSITIONS = np.array(
    [
        [0.15, 0.35, 0.50],
        [0.35, 0.15, 0.50],
        [0.45, 0.40, 0.15],
    ]
)
_VOL_LEVELS = np.array([0.6, 1.0, 1.7])
# Per regime: probability of low, normal and high volatility. Sell-offs are wilder.
_VOL_PROBS = np.array(
    [
        [0.30, 0.50, 0.20],
        [0.15, 0.45, 0.40],
        [0.50, 0.40, 0.10],
    ]
)
_MEDIAN_DAYS = np.array([4.0, 4.0, 3.0])


@dataclass(frozen=True)
class RangeSpell:
    """A ranging spell: steps [start, stop) mean-revert with this half-life (in steps)."""

    start: int
    stop: int
    half_life: float


@dataclass(frozen=True)
class Regimes:
    drift: np.ndarray  # per-step drift, in units of the pair's base per-step volatility
    vol_level: np.ndarray  # per-step volatility multiplier
    ranges: tuple[RangeSpell, ...]


def draw_regimes(rng: np.random.Generator, steps: int) -> Regimes:
    """Cover `steps` 5m candles with consecutive regimes."""
    kinds: list[int] = []
    lengths: list[int] = []
    vols: list[float] = []
    drifts: list[float] = []
    kind = int(rng.integers(0, 3))
    covered = 0
    while covered < steps:
        days = float(np.clip(_MEDIAN_DAYS[kind] * rng.lognormal(0.0, 0.6), 0.5, 25.0))
        length = min(max(int(days * STEPS_PER_DAY), 1), steps - covered)
        vol = float(_VOL_LEVELS[rng.choice(3, p=_VOL_PROBS[kind])])
        if kind == UP:
            drift = float(rng.uniform(0.01, 0.035))
        elif kind == DOWN:
            drift = -float(rng.uniform(0.01, 0.04))
        else:
            drift = 0.0
        kinds.append(kind)
        lengths.append(length)
        vols.append(vol)
        drifts.append(drift)
        covered += length
        kind = int(rng.choice(3, p=_TRANSITIONS[kind]))

    length_arr = np.array(lengths)
    starts = np.concatenate(([0], np.cumsum(length_arr)[:-1]))
    ranges = tuple(
        RangeSpell(int(start), int(start + length), float(rng.uniform(72.0, 288.0)))
        for kind_, start, length in zip(kinds, starts, length_arr, strict=True)
        if kind_ == RANGE and length > 1
    )
    return Regimes(
        drift=np.repeat(np.array(drifts), length_arr),
        vol_level=np.repeat(np.array(vols), length_arr),
        ranges=ranges,
    )
