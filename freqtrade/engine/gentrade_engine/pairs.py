# The one catalogue of synthetic pairs. gen-data and gen-markets both read it, so
# every pair with candles also has a market, with matching tick and lot sizes.
# Anchor prices are rough quarterly levels of the real markets (synthetic data
# only needs plausible price levels, not history).

from __future__ import annotations

from dataclasses import dataclass

# The span gen-data covers by default (inclusive UTC days).
DEFAULT_START = "2023-01-01"
DEFAULT_END = "2025-12-31"


@dataclass(frozen=True)
class PairSpec:
    """How one spot pair looks: price path anchors, volatility and exchange filters."""

    symbol: str
    base: str
    quote: str
    seed: int
    # (ISO date, price) points the generated path passes through.
    anchors: tuple[tuple[str, float], ...]
    annual_vol: float
    daily_quote_volume: float
    tick_size: float
    step_size: float
    min_qty: float
    max_qty: float
    min_price: float
    max_price: float
    min_notional: float
    max_notional: float

    @property
    def market_id(self) -> str:
        return f"{self.base}{self.quote}"

    @property
    def swap_symbol(self) -> str:
        """The linear perpetual settled in the quote currency, in ccxt's form (BTC/USDT:USDT)."""
        return swap_symbol(self.symbol)


def swap_symbol(symbol: str) -> str:
    """The one place a spot pair becomes its perpetual: BTC/USDT -> BTC/USDT:USDT."""
    if ":" in symbol:
        return symbol
    quote = symbol.rsplit("/", 1)[-1]
    return f"{symbol}:{quote}"


# The futures funding rate every synthetic perpetual pays, per 8 hours (00:00, 08:00, 16:00 UTC):
# 0.01%, the baseline rate a calm perpetual charges; longs pay it, shorts receive it.
FUNDING_RATE = 0.0001
FUNDING_INTERVAL_HOURS = 8

# Leverage tiers every synthetic perpetual shares: (notional floor, notional cap, maintenance
# margin rate, max leverage). The maintenance amount of each tier follows from the floors and rates.
LEVERAGE_TIERS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 50_000.0, 0.004, 125.0),
    (50_000.0, 500_000.0, 0.01, 50.0),
    (500_000.0, 5_000_000.0, 0.025, 20.0),
    (5_000_000.0, 50_000_000.0, 0.05, 10.0),
)


_QUARTERS = (
    "2023-01-01",
    "2023-04-01",
    "2023-07-01",
    "2023-10-01",
    "2024-01-01",
    "2024-04-01",
    "2024-07-01",
    "2024-10-01",
    "2025-01-01",
    "2025-04-01",
    "2025-07-01",
    "2025-10-01",
    "2026-01-01",
)


def _anchors(*prices: float) -> tuple[tuple[str, float], ...]:
    if len(prices) != len(_QUARTERS):
        raise ValueError("one anchor price per quarter is required")
    return tuple(zip(_QUARTERS, prices, strict=True))


PAIRS: tuple[PairSpec, ...] = (
    PairSpec(
        symbol="BTC/USDT",
        base="BTC",
        quote="USDT",
        seed=20230101,
        anchors=_anchors(
            16500,
            28500,
            30500,
            27000,
            42500,
            69000,
            62500,
            63500,
            94000,
            82500,
            107000,
            114000,
            88000,
        ),
        annual_vol=0.50,
        daily_quote_volume=1.2e9,
        tick_size=0.01,
        step_size=0.00001,
        min_qty=0.00001,
        max_qty=9000.0,
        min_price=0.01,
        max_price=1000000.0,
        min_notional=5.0,
        max_notional=9000000.0,
    ),
    PairSpec(
        symbol="ETH/USDT",
        base="ETH",
        quote="USDT",
        seed=20230102,
        anchors=_anchors(
            1200, 1820, 1930, 1670, 2300, 3600, 3430, 2600, 3350, 1820, 2490, 4150, 2970
        ),
        annual_vol=0.60,
        daily_quote_volume=6.0e8,
        tick_size=0.01,
        step_size=0.0001,
        min_qty=0.0001,
        max_qty=9000.0,
        min_price=0.01,
        max_price=1000000.0,
        min_notional=5.0,
        max_notional=9000000.0,
    ),
    PairSpec(
        symbol="SOL/USDT",
        base="SOL",
        quote="USDT",
        seed=20230103,
        anchors=_anchors(10, 20.8, 19, 21.5, 101, 200, 146, 152, 190, 125, 152, 208, 125),
        annual_vol=0.85,
        daily_quote_volume=2.5e8,
        tick_size=0.01,
        step_size=0.001,
        min_qty=0.001,
        max_qty=9000000.0,
        min_price=0.01,
        max_price=1000000.0,
        min_notional=5.0,
        max_notional=9000000.0,
    ),
    PairSpec(
        symbol="BNB/USDT",
        base="BNB",
        quote="USDT",
        seed=20230104,
        anchors=_anchors(246, 312, 240, 214, 313, 595, 580, 590, 700, 605, 655, 1010, 860),
        annual_vol=0.50,
        daily_quote_volume=8.0e7,
        tick_size=0.01,
        step_size=0.001,
        min_qty=0.001,
        max_qty=900000.0,
        min_price=0.01,
        max_price=100000.0,
        min_notional=5.0,
        max_notional=9000000.0,
    ),
    PairSpec(
        symbol="XRP/USDT",
        base="XRP",
        quote="USDT",
        seed=20230105,
        anchors=_anchors(
            0.34, 0.54, 0.47, 0.52, 0.62, 0.61, 0.47, 0.61, 2.08, 2.08, 2.23, 2.85, 1.85
        ),
        annual_vol=0.70,
        daily_quote_volume=1.5e8,
        tick_size=0.0001,
        step_size=0.1,
        min_qty=0.1,
        max_qty=9222449.0,
        min_price=0.0001,
        max_price=1000.0,
        min_notional=5.0,
        max_notional=9000000.0,
    ),
)


def pair_by_symbol(symbol: str) -> PairSpec:
    for spec in PAIRS:
        if spec.symbol == symbol:
            return spec
    known = ", ".join(p.symbol for p in PAIRS)
    raise KeyError(f"unknown synthetic pair {symbol!r}; known pairs: {known}")
