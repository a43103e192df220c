# NumPy 2 removed the aliases NumPy 1 had for a few constants, types and functions (`np.NaN`,
# `np.NINF`, `np.float_`, `np.product`...), and community strategies written before 2024 use them
# everywhere: on our numpy 2.4 such a strategy stops with "`np.NaN` was removed in the NumPy 2.0
# release". Each alias named exactly what it still names under its new spelling, so putting them
# back changes no number; it only lets the old spelling run. Done in the run's own process (the
# sandboxed child) before the strategy is imported; nothing else in the engine uses them.

from __future__ import annotations

import numpy as np

# old name -> the value NumPy 1 gave it (NumPy 2's own migration table, NEP 52)
_REMOVED: dict[str, object] = {
    "NaN": np.nan,
    "NAN": np.nan,
    "Inf": np.inf,
    "Infinity": np.inf,
    "infty": np.inf,
    "PINF": np.inf,
    "NINF": -np.inf,
    "PZERO": 0.0,
    "NZERO": -0.0,
    "float_": np.float64,
    "complex_": np.complex128,
    "cfloat": np.complex128,
    "longfloat": np.longdouble,
    "singlecomplex": np.complex64,
    "clongfloat": np.clongdouble,
    "longcomplex": np.clongdouble,
    "string_": np.bytes_,
    "unicode_": np.str_,
    "bool8": np.bool_,
    "round_": np.round,
    "product": np.prod,
    "cumproduct": np.cumprod,
    "sometrue": np.any,
    "alltrue": np.all,
    "trapz": np.trapezoid,
}


def restore_removed_aliases() -> None:
    """Put NumPy 1's removed aliases back on the numpy module (idempotent)."""
    for name, value in _REMOVED.items():
        if name not in vars(np):
            setattr(np, name, value)
