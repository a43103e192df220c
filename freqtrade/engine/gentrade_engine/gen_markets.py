# `gen-markets`: the offline stand-in for Binance's exchangeInfo. Writes one ccxt
# unified spot market per synthetic pair, shaped like ccxt's binance parser output
# (TICK_SIZE precision mode: precision values are tick/step sizes, not digit counts).

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gentrade_engine.pairs import PAIRS, PairSpec

# ccxt's binance default trading fee, which set_markets would merge in anyway.
_FEE = 0.001
# Binance's baseAssetPrecision / quotePrecision of 8 digits, expressed as a tick.
_ASSET_PRECISION = 1e-08


def market_for(spec: PairSpec) -> dict[str, Any]:
    """A ccxt unified market structure for one Binance spot pair."""
    return {
        "id": spec.market_id,
        "lowercaseId": spec.market_id.lower(),
        "symbol": spec.symbol,
        "base": spec.base,
        "quote": spec.quote,
        "settle": None,
        "baseId": spec.base,
        "quoteId": spec.quote,
        "settleId": None,
        "type": "spot",
        "spot": True,
        "margin": False,
        "marginModes": {"cross": False, "isolated": False},
        "swap": False,
        "future": False,
        "option": False,
        "index": None,
        "active": True,
        "contract": False,
        "linear": None,
        "inverse": None,
        "subType": None,
        "taker": _FEE,
        "maker": _FEE,
        "percentage": True,
        "tierBased": False,
        "feeSide": "get",
        "contractSize": None,
        "expiry": None,
        "expiryDatetime": None,
        "strike": None,
        "optionType": None,
        "precision": {
            "amount": spec.step_size,
            "price": spec.tick_size,
            "cost": None,
            "base": _ASSET_PRECISION,
            "quote": _ASSET_PRECISION,
        },
        "limits": {
            "leverage": {"min": None, "max": None},
            "amount": {"min": spec.min_qty, "max": spec.max_qty},
            "price": {"min": spec.min_price, "max": spec.max_price},
            "cost": {"min": spec.min_notional, "max": spec.max_notional},
            "market": {"min": 0.0, "max": spec.max_qty},
        },
        "created": None,
        "info": {},
    }


def build_snapshot() -> dict[str, dict[str, Any]]:
    return {spec.symbol: market_for(spec) for spec in PAIRS}


def run(out: str) -> int:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot = build_snapshot()
    path.write_text(json.dumps(snapshot, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(snapshot)} Binance spot markets ({', '.join(snapshot)}) to {path.resolve()}")
    return 0
