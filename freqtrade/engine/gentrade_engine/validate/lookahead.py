# Stage 5 (on request), in the sandboxed child: Freqtrade's own lookahead analysis,
# run with our offline exchange, reported as plain lists of the entry/exit signals
# and indicator columns that changed when future candles were cut off.

from __future__ import annotations

from typing import Any

from gentrade_engine.backtest.offline_exchange import OfflineBinance
from gentrade_engine.backtest.preflight import load_markets
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.load_stage import freqtrade_setup


class _NoProgress:
    def add_task(self, *_args: Any, **_kwargs: Any) -> int:
        return 0

    def update(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def analyse(job: SandboxJob, timeframe: str, timerange: str) -> dict[str, Any]:
    from freqtrade.optimize.analysis.lookahead import LookaheadAnalysis
    from freqtrade.optimize.analysis.lookahead_helpers import LookaheadAnalysisSubFunctions

    setup = freqtrade_setup(job, "lookahead", timeframe, timerange)
    config, staged = setup.config, setup.staged
    config.update(
        {"targeted_trade_amount": 20, "minimum_trade_amount": 3, "pairs": list(job.pairs)}
    )
    config = LookaheadAnalysisSubFunctions.calculate_config_overrides(config)
    analysis = LookaheadAnalysis(config, {"name": job.strategy_class, "location": staged})
    analysis.exchange = OfflineBinance(
        config, markets=load_markets(job.markets_path_obj), load_leverage_tiers=True
    )
    analysis.start(_NoProgress())
    result = analysis.current_analysis
    if result.total_signals < analysis.minimum_trade_amount:
        return {
            "checked": False,
            "sentence": f"Too few trades ({result.total_signals}) to check for lookahead bias.",
        }
    biased = sorted(result.false_indicators)
    if not result.has_bias:
        sentence = f"No lookahead bias found in {result.total_signals} checked signals."
    else:
        columns = ", ".join(biased) or "none identified"
        sentence = (
            f"Lookahead bias: {result.false_entry_signals} of {result.total_signals} "
            "entry signals and "
            f"{result.false_exit_signals} exit signals changed when future candles were hidden; "
            f"indicators that look ahead: {columns}."
        )
    return {
        "checked": True,
        "biased": result.has_bias,
        "signals": result.total_signals,
        "biased_entries": result.false_entry_signals,
        "biased_exits": result.false_exit_signals,
        "indicators": biased,
        "sentence": sentence,
    }
