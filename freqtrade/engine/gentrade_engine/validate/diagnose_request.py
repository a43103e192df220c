# The server's `diagnose` command: a backtest made no trades, so say why on that backtest's own
# data (pairs, timeframe, range) with the zero-trade diagnosis of the validate pipeline
# (diagnosis.py). The code travels in the request; it passes the static policy before it runs,
# in the caller's sandbox (a warm server's child).

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gentrade_engine.errors import EngineError
from gentrade_engine.policy import check_strategy_source
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.request import parse_validate_request

_FIELDS = frozenset(
    {"code", "strategy_class", "timeframe", "pairs", "timerange", "datadir", "markets_path"}
)
_MAX_CODE = 1024 * 1024


def _bad(message: str) -> EngineError:
    return EngineError("BAD_REQUEST", message)


def _code(raw: dict[str, Any]) -> str:
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise _bad("The request field 'code' must be the strategy's Python code.")
    if len(code) > _MAX_CODE:
        raise _bad("The strategy code is larger than 1024 KB.")
    return code


def run(raw: Any) -> dict[str, Any]:
    """`{"ok": true, "sentence", "candles", "conditions"|"signals", ...}` or an engine error."""
    from gentrade_engine.backtest import run as backtest_run
    from gentrade_engine.validate import diagnosis

    try:
        if not isinstance(raw, dict):
            raise _bad("The diagnose request must be a JSON object.")
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise _bad(f"The diagnose request has unknown fields: {', '.join(unknown)}.")
        for key in ("timeframe", "timerange"):
            if not raw.get(key):
                raise _bad(f"The diagnose request needs '{key}'.")
        code = _code(raw)
        verdict = check_strategy_source(code, raw.get("strategy_class"))
        if verdict.violations or verdict.strategy is None:
            first = verdict.violations[0] if verdict.violations else None
            detail = f" Line {first.line}: {first.message}" if first else ""
            raise EngineError(
                "STRATEGY_LOAD", f"The strategy does not pass the engine's code rules.{detail}"
            )
        folder = Path(tempfile.mkdtemp(prefix="gentrade-diagnose-"))
        path = folder / f"{verdict.strategy.name}.py"
        path.write_text(code, encoding="utf-8")
        fields = {k: v for k, v in raw.items() if k != "code"}
        request = parse_validate_request({**fields, "strategy_path": str(path), "smoke": False})
        timeframe = request.timeframe or ""
        timerange = request.timerange or ""
        job = SandboxJob(
            strategy_path=str(path),
            strategy_class=verdict.strategy.name,
            timeframe=timeframe,
            pairs=list(request.pairs),
            timerange=timerange,
            datadir=str(request.datadir),
            markets_path=str(request.markets_path),
            work_dir=str(folder / "work"),
            smoke=False,
            lookahead=False,
        )
        backtest_run._preflight(job.backtest_request("preflight", timeframe, timerange))
        found = diagnosis.diagnose(job, timeframe, timerange)
    except EngineError as err:
        return {"ok": False, "code": err.code, "message": err.message}
    return {
        "ok": True,
        "pair": job.pairs[0],
        "timeframe": timeframe,
        "timerange": timerange,
        **found,
    }
