# Stage 6 (with the lookahead analysis), in the sandboxed child: Freqtrade's own
# recursive-indicator analysis, run with our offline exchange. It computes the indicators
# of the range's last candle again from a few startup candle counts (Freqtrade's
# defaults plus the strategy's own) and reports how far each indicator's value moved
# from the one computed on the whole range; an indicator that moves at the strategy's own
# count gives a backtest figures that depend on where its data starts.

from __future__ import annotations

import math
from typing import Any

from gentrade_engine.backtest.offline_exchange import OfflineBinance
from gentrade_engine.backtest.preflight import load_markets
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.load_stage import freqtrade_setup

# A relative move that Freqtrade's own table shows (to 0.001%), at the strategy's own startup
# candle count, is flagged; float noise in exact indicators (SMA) is far below it.
VARIES_ABOVE = 0.000005


class _NoProgress:
    def add_task(self, *_args: Any, **_kwargs: Any) -> int:
        return 0

    def update(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def _moved(value: float) -> str:
    return "no value" if math.isnan(value) else f"{abs(value):.3%}"


def analyse(job: SandboxJob, timeframe: str, timerange: str) -> dict[str, Any]:
    from freqtrade.exceptions import ConfigurationError
    from freqtrade.optimize.analysis.recursive import RecursiveAnalysis
    from freqtrade.optimize.analysis.recursive_helpers import RecursiveAnalysisSubFunctions

    setup = freqtrade_setup(job, "recursive", timeframe, timerange)
    config = dict(setup.config)
    config["pairs"] = list(job.pairs)
    config = RecursiveAnalysisSubFunctions.calculate_config_overrides(config)
    analysis = RecursiveAnalysis(config, {"name": job.strategy_class, "location": setup.staged})
    analysis.exchange = OfflineBinance(
        config, markets=load_markets(job.markets_path_obj), load_leverage_tiers=True
    )
    try:
        analysis.start(_NoProgress())
    except ConfigurationError as err:
        return {"checked": False, "varies": False, "sentence": f"Not run: {err}"}
    own = analysis._strat_scc or 0
    counts = ", ".join(str(c) for c in analysis._startup_candle)
    moved = {
        name: values
        for name, values in sorted(analysis.dict_recursive.items())
        if (v := values.get(own)) is not None and (math.isnan(v) or abs(v) > VARIES_ABOVE)
    }
    said = f"startup candles {counts} (the strategy's own: {own}) on {analysis.pair_to_used}"
    if not moved:
        sentence = f"No indicator moved at the strategy's own startup count ({said})."

    else:
        parts = [
            f"{name} by {_moved(values[own])} at {own} candles"
            + "".join(f", {_moved(v)} at {c}" for c, v in sorted(values.items()) if c != own)
            for name, values in moved.items()
        ]
        sentence = (
            "Indicators whose last value depends on how many candles precede it: "
            + "; ".join(parts)
            + f" ({said})."
        )
    return {"checked": True, "varies": bool(moved), "indicators": list(moved), "sentence": sentence}
