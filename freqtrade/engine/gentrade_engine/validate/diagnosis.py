# Stage 4, in the sandboxed child: when a backtest made no trades, say why in a
# sentence. A strategy rendered by GenTrade defines
# `gentrade_entry_conditions(self, dataframe) -> list[tuple[str, Series]]` (label,
# boolean series), called after populate_indicators, so each condition can be
# counted; for other code, the candles where populate_entry_trend set
# enter_long / enter_short are counted instead.

from __future__ import annotations

from typing import Any

from gentrade_engine.backtest.offline_exchange import OfflineBinance
from gentrade_engine.backtest.preflight import load_snapshot
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.load_stage import freqtrade_setup

CONTRACT_METHOD = "gentrade_entry_conditions"


def _count(series: Any, in_range: Any) -> int:
    return int(series[in_range].fillna(False).astype(bool).sum())


def _indicator_frame(job: SandboxJob, timeframe: str, timerange: str) -> tuple[Any, Any, Any]:
    """(strategy, dataframe with indicators for the first pair, mask of candles in range)."""
    from freqtrade.optimize.backtesting import Backtesting

    config = freqtrade_setup(job, "diagnosis", timeframe, timerange).config
    request = job.backtest_request("diagnosis", timeframe, timerange)
    snapshot = load_snapshot(request)
    exchange = OfflineBinance(
        config,
        markets=snapshot.markets,
        leverage_tiers=snapshot.leverage_tiers,
        load_leverage_tiers=True,
    )
    try:
        backtesting = Backtesting(config, exchange=exchange)
        data, window = backtesting.load_bt_data()
        strategy = backtesting.strategylist[0]
        backtesting._set_strategy(strategy)
        pair = request.exchange_pairs[0]
        frame = strategy.advise_indicators(data[pair].copy(), {"pair": pair})
    finally:
        Backtesting.cleanup()
        exchange.close()
    in_range = frame["date"] >= window.startdt if window.startdt else frame["date"].notna()
    return strategy, frame, in_range


def _by_conditions(strategy: Any, frame: Any, in_range: Any, where: str) -> dict[str, Any]:
    conditions = getattr(strategy, CONTRACT_METHOD)(frame)
    total = int(in_range.sum())
    counted = [
        {"label": str(label), "true": _count(series, in_range)} for label, series in conditions
    ]
    all_true = None
    if conditions:
        combined = conditions[0][1].fillna(False).astype(bool)
        for _label, series in conditions[1:]:
            combined = combined & series.fillna(False).astype(bool)
        all_true = _count(combined, in_range)
    parts = [f"{c['label']} was true on {c['true']} of {total} candles" for c in counted]
    never = [str(c["label"]) for c in counted if c["true"] == 0]
    if never:
        tail = f"{', '.join(never)} never fired, so the entry never fired"
    elif all_true == 0:
        tail = "each fired, but never on the same candle, so the entry never fired"
    else:
        tail = (
            f"all held together on {all_true} candles, yet no trade opened "
            "(exits, stops or limits closed it at once)"
        )
    sentence = f"On {where}: {'; '.join(parts)}; {tail}."
    return {"sentence": sentence, "candles": total, "conditions": counted, "all_true": all_true}


def _by_signals(strategy: Any, frame: Any, in_range: Any, pair: str, where: str) -> dict[str, Any]:
    entered = strategy.advise_entry(frame.copy(), {"pair": pair})
    total = int(in_range.sum())
    counts = {
        col: _count(entered[col] == 1, in_range)
        for col in ("enter_long", "enter_short")
        if col in entered
    }
    raised = sum(counts.values())
    detail = (
        "; ".join(f"{col} was set on {n} of {total} candles" for col, n in counts.items())
        or "no entry column was set"
    )
    if raised == 0:
        sentence = f"On {where}: {detail}; no entry signal was ever raised."
    else:
        sentence = (
            f"On {where}: {detail}, yet no trade opened "
            "(the exit signal, stop or limits closed it at once)."
        )
    return {"sentence": sentence, "candles": total, "signals": counts}


def diagnose(job: SandboxJob, timeframe: str, timerange: str) -> dict[str, Any]:
    strategy, frame, in_range = _indicator_frame(job, timeframe, timerange)
    pair = job.pairs[0]
    where = f"{pair} {timeframe} {timerange}"
    if callable(getattr(strategy, CONTRACT_METHOD, None)):
        return _by_conditions(strategy, frame, in_range, where)
    return _by_signals(strategy, frame, in_range, pair, where)
