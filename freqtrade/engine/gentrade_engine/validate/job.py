# What the validate pipeline hands the sandboxed child (one JSON object on stdin):
# the static stage's choices (class, timeframe) plus the request's data settings.

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gentrade_engine.backtest.request import BacktestRequest
from gentrade_engine.backtest.timerange import parse_timerange

# The smoke backtest's account: small, fixed, and the same for every strategy.
SMOKE_ACCOUNT: dict[str, Any] = {
    "stake_currency": "USDT",
    "starting_balance": 1000.0,
    "stake_amount": "unlimited",
    "max_open_trades": 3,
    "fee": 0.001,
}


@dataclass(frozen=True)
class SandboxJob:
    strategy_path: str
    strategy_class: str
    timeframe: str | None
    pairs: list[str]
    timerange: str | None
    datadir: str
    markets_path: str
    work_dir: str
    smoke: bool
    lookahead: bool
    trading_mode: str = "spot"

    @property
    def datadir_path(self) -> Path:
        return Path(self.datadir)

    @property
    def markets_path_obj(self) -> Path:
        return Path(self.markets_path)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(raw: dict[str, Any]) -> SandboxJob:
        return SandboxJob(**raw)

    def backtest_request(self, name: str, timeframe: str, timerange: str) -> BacktestRequest:
        return BacktestRequest(
            strategy_path=Path(self.strategy_path),
            strategy_class=self.strategy_class,
            timeframe=timeframe,
            pairs=tuple(self.pairs),
            timerange=parse_timerange(timerange),
            datadir=Path(self.datadir),
            markets_path=Path(self.markets_path),
            results_dir=Path(self.work_dir) / name,
            trading_mode=self.trading_mode,
            **SMOKE_ACCOUNT,
        )
