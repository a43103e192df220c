# Stage 3, in the sandboxed child: a short real backtest through the backtest
# subcommand's own machinery (preflight, offline exchange, stored result), by
# default over the last 30 days of the first pair's data.

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from gentrade_engine.backtest import preflight, run
from gentrade_engine.timeframes import ohlcv_path
from gentrade_engine.validate.job import SandboxJob

SMOKE_DAYS = 30


@dataclass(frozen=True)
class SmokeResult:
    trades: int
    timeframe: str
    timerange: str
    summary: dict[str, Any]


def default_timerange(job: SandboxJob, timeframe: str) -> str:
    """The last SMOKE_DAYS days of the first pair's candles (YYYYMMDD-YYYYMMDD)."""
    path = ohlcv_path(job.datadir_path, job.pairs[0], timeframe)
    if not path.is_file():
        return "20000101-"  # preflight then names the missing data
    last = preflight._read_dates(path).max()
    start = last - timedelta(days=SMOKE_DAYS)
    return f"{start:%Y%m%d}-{last + timedelta(days=1):%Y%m%d}"


def smoke(job: SandboxJob, timeframe: str, timerange: str) -> SmokeResult:
    request = job.backtest_request("smoke", timeframe, timerange)
    markets = run._preflight(request)
    stored = run._run_freqtrade(request, markets, run._Timer())
    stats = json.loads(stored.result_path.read_text(encoding="utf-8"))["strategy"][
        job.strategy_class
    ]
    summary = {
        "profit_total": stats.get("profit_total"),
        "winrate": stats.get("winrate"),
    }
    return SmokeResult(stored.trades, timeframe, timerange, summary)
