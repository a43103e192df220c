# Deterministic synthetic OHLCV: one seeded generator per pair, so each pair's
# candles depend only on the pair and the requested date range.

from __future__ import annotations

import numpy as np

from gentrade_engine.pairs import PairSpec
from gentrade_engine.synth.candles import Candles, aggregate, candles_from_path, resample
from gentrade_engine.synth.minutes import split_minutes
from gentrade_engine.synth.path import build_log_path
from gentrade_engine.synth.regimes import STEPS_PER_DAY

__all__ = ["Candles", "aggregate", "generate_5m", "resample", "split_minutes"]


def generate_5m(spec: PairSpec, start_epoch: int, days: int) -> Candles:
    """5m candles for `days` whole UTC days starting at `start_epoch` (a midnight)."""
    rng = np.random.default_rng(spec.seed)
    path = build_log_path(spec, start_epoch, days * STEPS_PER_DAY, rng)
    return candles_from_path(spec, path, rng)
