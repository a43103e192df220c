# `gen-markets`: the offline stand-in for Binance's exchangeInfo. Writes one ccxt
# unified spot market per synthetic pair, shaped like ccxt's binance parser output
# (TICK_SIZE precision mode: precision values are tick/step sizes, not digit counts).
# Beside it, <name>.futures.json holds the USDT-settled perpetual of every pair and the
# leverage tiers Freqtrade needs for futures backtests (Binance serves both over the API).

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gentrade_engine.pairs import LEVERAGE_TIERS, PAIRS, PairSpec

# ccxt's binance default trading fee, which set_markets would merge in anyway.
_FEE = 0.001
# Binance's baseAssetPrecision / quotePrecision of 8 digits, expressed as a tick.
_ASSET_PRECISION = 1e-08
# Binance USDT-M futures default fees (taker 0.05%, maker 0.02%).
_SWAP_TAKER = 0.0005
_SWAP_MAKER = 0.0002


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


def swap_market_for(spec: PairSpec) -> dict[str, Any]:
    """ccxt's unified market for the pair's linear USDT-settled perpetual (contract = 1 base)."""
    market = market_for(spec)
    market.update(
        {
            "symbol": spec.swap_symbol,
            "settle": spec.quote,
            "settleId": spec.quote,
            "type": "swap",
            "spot": False,
            "marginModes": {"cross": True, "isolated": True},
            "swap": True,
            "contract": True,
            "linear": True,
            "inverse": False,
            "subType": "linear",
            "taker": _SWAP_TAKER,
            "maker": _SWAP_MAKER,
            "contractSize": 1.0,
        }
    )
    market["limits"]["leverage"] = {"min": 1.0, "max": max(t[3] for t in LEVERAGE_TIERS)}
    return market


def leverage_tiers_for(spec: PairSpec) -> list[dict[str, Any]]:
    """ccxt's fetchLeverageTiers shape; `info.cum` is the maintenance amount Freqtrade reads."""
    tiers = []
    maintenance_amount = 0.0
    previous_rate = 0.0
    for number, (floor, cap, rate, leverage) in enumerate(LEVERAGE_TIERS, start=1):
        # Keeps the maintenance margin continuous where one tier hands over to the next.
        maintenance_amount += floor * (rate - previous_rate)
        previous_rate = rate
        tiers.append(
            {
                "tier": float(number),
                "symbol": spec.swap_symbol,
                "currency": spec.quote,
                "minNotional": floor,
                "maxNotional": cap,
                "maintenanceMarginRate": rate,
                "maxLeverage": leverage,
                "info": {"cum": round(maintenance_amount, 8)},
            }
        )
    return tiers


def build_snapshot() -> dict[str, dict[str, Any]]:
    return {spec.symbol: market_for(spec) for spec in PAIRS}


def build_futures_snapshot() -> dict[str, dict[str, Any]]:
    return {
        "markets": {spec.swap_symbol: swap_market_for(spec) for spec in PAIRS},
        "leverage_tiers": {spec.swap_symbol: leverage_tiers_for(spec) for spec in PAIRS},
    }


def futures_snapshot_path(markets_path: Path) -> Path:
    """Where the futures snapshot lives: markets.json -> markets.futures.json, beside it."""
    return markets_path.with_name(f"{markets_path.stem}.futures.json")


def _write_json(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def run(out: str) -> int:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot = build_snapshot()
    _write_json(path, snapshot)
    print(f"wrote {len(snapshot)} Binance spot markets ({', '.join(snapshot)}) to {path.resolve()}")
    futures = build_futures_snapshot()
    futures_path = futures_snapshot_path(path)
    _write_json(futures_path, futures)
    print(
        f"wrote {len(futures['markets'])} Binance USDT perpetuals with leverage tiers "
        f"to {futures_path.resolve()}"
    )
    return 0
