# The validate pipeline as a plain function: `run(request) -> dict`. The static policy
# always runs first, in the calling process, without importing the candidate. Only when it
# passes does strategy code run (stages.py):
# - `run(request)` (the one-shot `validate` command) forks a child that enters the shared
#   sandbox (server/sandbox.py: rlimits, wall clock, no network, own temp folder, scrubbed
#   environment) exactly as a warm server's child does (server/children.py);
# - `run(request, in_process=True)` runs the stages right here: for a caller that already is
#   that sandbox, the warm server's forked child.

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from gentrade_engine.errors import EngineError
from gentrade_engine.policy import check_strategy_source
from gentrade_engine.policy.strategy_classes import StrategyClass
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.request import ValidateRequest, parse_validate_request
from gentrade_engine.validate.stages import OnStage, run_stages

Reply = dict[str, Any]


def _ignore(_stage: str) -> None:
    return None


def run(
    raw_request: Any,
    *,
    in_process: bool = False,
    on_stage: OnStage = _ignore,
    memory_mb: int | None = None,
) -> Reply:
    """Validate one strategy file; the reply shape is documented in freqtrade/engine/README.md.

    `in_process` is for callers already inside the sandbox; `on_stage` hears each stage as it
    starts and `memory_mb` is the allowance a memory-limit verdict quotes (both in-process only).
    """
    try:
        raw = json.loads(raw_request) if isinstance(raw_request, str) else raw_request
    except json.JSONDecodeError:
        raw = raw_request  # the parser words the error
    try:
        request = parse_validate_request(raw)
        on_stage("static")
        began = time.perf_counter()
        strategy, static_reply = _static(request)
        static_ms = round((time.perf_counter() - began) * 1000, 2)
        if strategy is None:
            return {**static_reply, "stages": [{"stage": "static", "ms": static_ms}]}
        if not in_process:
            return _forked(raw, request)
        reply = _in_process(request, strategy, on_stage, memory_mb or request.limits.memory_mb)
    except EngineError as err:
        return {"ok": False, "code": err.code, "message": err.message}
    if reply.get("ok"):
        reply["stages"] = [{"stage": "static", "ms": static_ms}, *reply.get("stages", [])]
        reply["class"] = strategy.name
        notes = [*static_reply.get("notes", []), *reply.get("notes", [])]
        if notes and reply.get("accepted"):
            reply["notes"] = notes
    return reply


def _static(request: ValidateRequest) -> tuple[StrategyClass | None, Reply]:
    path = request.strategy_path
    if not path.is_file() or path.suffix != ".py":
        raise EngineError(
            "STRATEGY_LOAD", f"The strategy file {path} does not exist or is not a .py file."
        )
    verdict = check_strategy_source(path.read_bytes(), request.strategy_class)
    if verdict.violations or verdict.strategy is None:
        violations = [v.to_dict() for v in verdict.violations]
        return None, {"ok": True, "accepted": False, "stage": "static", "violations": violations}
    return verdict.strategy, {"notes": verdict.notes} if verdict.notes else {}


def _forked(raw: dict[str, Any], request: ValidateRequest) -> Reply:
    """Import Freqtrade here, once, then fork the sandboxed child: as in the warm server, the
    child's CPU limit is spent on the strategy alone, not on imports."""
    from gentrade_engine.server import probe
    from gentrade_engine.server.children import run_one
    from gentrade_engine.server.warm import single_threaded_math, warm_up

    single_threaded_math()
    warm_up()
    probe.configure()
    return run_one("validate", raw, request.limits)


def _in_process(
    request: ValidateRequest, strategy: StrategyClass, on_stage: OnStage, memory_mb: int
) -> Reply:
    with tempfile.TemporaryDirectory(prefix="gentrade-validate-") as tmp:
        job = SandboxJob(
            strategy_path=str(request.strategy_path),
            strategy_class=strategy.name,
            timeframe=request.timeframe or strategy.timeframe,
            pairs=list(request.pairs),
            timerange=request.timerange,
            datadir=str(request.datadir),
            markets_path=str(request.markets_path),
            work_dir=str(Path(tmp) / "work"),
            smoke=request.smoke,
            lookahead=request.lookahead,
            trading_mode=request.trading_mode,
        )
        return run_stages(job, memory_mb, on_stage)
