# The child process that runs strategy code (load, smoke, diagnosis, lookahead).
# It caps its own CPU time and address space with setrlimit before Freqtrade or
# the strategy is imported, blocks the network, and answers with one JSON line;
# the parent adds the wall-clock timeout and reads limit kills from the exit signal.
# Run as `python -m gentrade_engine.validate.sandbox` with the job on stdin.

from __future__ import annotations

import json
import re
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

STAGE_MARK = "gentrade-validate-stage:"
_LINE_RE = re.compile(r"line (\d+)")


def apply_limits(cpu_seconds: int, memory_mb: int) -> None:
    # Soft CPU limit sends SIGXCPU (which ends the process); the hard one SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _mark(stage: str) -> None:
    print(f"{STAGE_MARK} {stage}", file=sys.stderr, flush=True)


def rejected(stage: str, rule: str, message: str, line: int | None = None) -> dict[str, Any]:
    violation = {"stage": stage, "rule": rule, "line": line, "message": message}
    return {"accepted": False, "stage": stage, "violations": [violation]}


def _caused_by_memory(err: BaseException) -> bool:
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _strategy_frames(err: BaseException, staged_dir: Path) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename).parent == staged_dir]


def _run_stages(job: Any, stages: list[dict[str, Any]]) -> dict[str, Any]:
    from gentrade_engine.errors import EngineError
    from gentrade_engine.validate import diagnosis, load_stage, smoke

    _mark("load")
    began = time.perf_counter()
    try:
        loaded = load_stage.load(job)
    except EngineError as err:
        if err.code != "STRATEGY_LOAD":
            raise
        found = _LINE_RE.search(err.message)
        return rejected("load", "load-error", err.message, int(found.group(1)) if found else None)
    stages.append({"stage": "load", "ms": round((time.perf_counter() - began) * 1000, 1)})
    if loaded.problems:
        violations = [{"stage": "load", "rule": r, "line": None, "message": m} for r, m in loaded.problems]
        return {"accepted": False, "stage": "load", "violations": violations}
    timeframe = job.timeframe or loaded.strategy.timeframe
    reply: dict[str, Any] = {"accepted": True, "timeframe": timeframe}
    if not job.smoke:
        return reply
    _mark("smoke")
    began = time.perf_counter()
    timerange = job.timerange or smoke.default_timerange(job, timeframe)
    staged_dir = Path(job.work_dir) / "smoke" / "user_data" / "strategies"
    try:
        result = smoke.smoke(job, timeframe, timerange)
    except EngineError:
        raise
    except Exception as err:  # noqa: BLE001 - the strategy may raise anything
        if _caused_by_memory(err):
            return rejected("smoke", "memory-limit", "The strategy ran out of its memory allowance during the smoke backtest.")
        frames = _strategy_frames(err, staged_dir)
        if not frames:
            raise
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return rejected("smoke", "strategy-error", f"The strategy raised an error during the smoke backtest: {last}", frames[-1].lineno)
    stages.append({"stage": "smoke", "ms": round((time.perf_counter() - began) * 1000, 1)})
    reply["smoke"] = {"trades": result.trades, "timeframe": timeframe, "timerange": timerange, "pairs": job.pairs, **result.summary}
    if result.trades == 0:
        _mark("diagnosis")
        began = time.perf_counter()
        reply["diagnosis"] = diagnosis.diagnose(job, timeframe, timerange)
        stages.append({"stage": "diagnosis", "ms": round((time.perf_counter() - began) * 1000, 1)})
    if job.lookahead:
        from gentrade_engine.validate import lookahead

        _mark("lookahead")
        began = time.perf_counter()
        reply["lookahead"] = lookahead.analyse(job, timeframe, timerange)
        stages.append({"stage": "lookahead", "ms": round((time.perf_counter() - began) * 1000, 1)})
    return reply


def main() -> int:
    raw = json.loads(sys.stdin.read())
    apply_limits(raw.pop("cpu_seconds"), raw.pop("memory_mb"))

    from gentrade_engine.backtest.network_guard import block_network
    from gentrade_engine.backtest.stdout_guard import emit, reserve_stdout
    from gentrade_engine.errors import EngineError
    from gentrade_engine.validate.job import SandboxJob

    out = reserve_stdout()
    block_network()
    stages: list[dict[str, Any]] = []
    try:
        reply = _run_stages(SandboxJob.from_json(raw), stages)
    except EngineError as err:
        emit(out, {"ok": False, "code": err.code, "message": err.message})
        return 1
    except MemoryError:
        emit(out, {"ok": True, **rejected("load", "memory-limit", "The strategy ran out of its memory allowance.")})
        return 0
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the child must always answer
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        emit(out, {"ok": False, "code": "ENGINE", "message": f"Validation failed unexpectedly: {last}"})
        return 1
    emit(out, {"ok": True, "stages": stages, **reply})
    return 0


if __name__ == "__main__":
    sys.exit(main())
