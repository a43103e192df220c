# The stages that run strategy code (load, smoke, diagnosis, lookahead), in the calling
# process: the caller must already be sandboxed (server/sandbox.py). Each stage is announced
# through `on_stage` before it starts, so that a parent watching the process can name the stage
# a limit stopped; every outcome, even an unexpected one, becomes a reply dict.

from __future__ import annotations

import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gentrade_engine.errors import EngineError
from gentrade_engine.validate.job import SandboxJob

OnStage = Callable[[str], None]
_LINE_RE = re.compile(r"line (\d+)")


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


def _freqtrade_refusal(err: BaseException) -> bool:
    """Freqtrade's own refusal of what the strategy set, asked for or returned (an unknown
    protection, a dataframe of the wrong length, a hyperopt parameter without a space, an
    informative timeframe with no candles): any of Freqtrade's own exceptions, or any error
    raised inside Freqtrade's code."""
    import freqtrade
    from freqtrade.exceptions import FreqtradeException

    if isinstance(err, FreqtradeException):
        return True
    frames = traceback.extract_tb(err.__traceback__)
    package = str(Path(freqtrade.__file__).parent)
    return bool(frames) and frames[-1].filename.startswith(package + "/")


def _strategy_frames(err: BaseException, staged_dir: Path) -> list[traceback.FrameSummary]:
    return [
        f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename).parent == staged_dir
    ]


class _Stages:
    def __init__(self, on_stage: OnStage) -> None:
        self.on_stage = on_stage
        self.current = "load"
        self.began = 0.0
        self.timings: list[dict[str, Any]] = []

    def enter(self, stage: str) -> None:
        self.current = stage
        self.on_stage(stage)
        self.began = time.perf_counter()

    def done(self) -> None:
        self.timings.append(
            {"stage": self.current, "ms": round((time.perf_counter() - self.began) * 1000, 1)}
        )


def _load(job: SandboxJob, stages: _Stages) -> tuple[Any, dict[str, Any] | None]:
    from gentrade_engine.validate import load_stage

    stages.enter("load")
    try:
        loaded = load_stage.load(job)
    except EngineError as err:
        if err.code != "STRATEGY_LOAD":
            raise
        found = _LINE_RE.search(err.message)
        return None, rejected(
            "load", "load-error", err.message, int(found.group(1)) if found else None
        )
    stages.done()
    if loaded.problems:
        violations = [
            {"stage": "load", "rule": r, "line": None, "message": m} for r, m in loaded.problems
        ]
        return None, {"accepted": False, "stage": "load", "violations": violations}
    return loaded, None


def _after_load(job: SandboxJob, loaded: Any, stages: _Stages) -> dict[str, Any]:
    from gentrade_engine.validate import diagnosis, smoke

    timeframe = job.timeframe or loaded.strategy.timeframe
    reply: dict[str, Any] = {"accepted": True, "timeframe": timeframe}
    if loaded.notes:
        reply["notes"] = loaded.notes
    if not job.smoke:
        return reply
    stages.enter("smoke")
    timerange = job.timerange or smoke.default_timerange(job, timeframe)
    staged_dir = Path(job.work_dir) / "smoke" / "user_data" / "strategies"
    try:
        result = smoke.smoke(job, timeframe, timerange)
    except EngineError as err:
        if err.code != "NO_DATA":
            raise
        # The strategy's timeframe (1m, 12h...) or startup needs candles the data lacks.
        return rejected("smoke", "no-data", err.message)
    except Exception as err:
        if _caused_by_memory(err):
            raise MemoryError from err
        frames = _strategy_frames(err, staged_dir)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        if not frames and _freqtrade_refusal(err):
            return rejected(
                "smoke",
                "freqtrade-refused",
                f"Freqtrade stopped the strategy during the smoke backtest: {last}",
            )
        if not frames:
            raise
        return rejected(
            "smoke",
            "strategy-error",
            f"The strategy raised an error during the smoke backtest: {last}",
            frames[-1].lineno,
        )
    stages.done()
    reply["smoke"] = {
        "trades": result.trades,
        "timeframe": timeframe,
        "timerange": timerange,
        "pairs": job.pairs,
        **result.summary,
    }
    if result.trades == 0:
        stages.enter("diagnosis")
        reply["diagnosis"] = diagnosis.diagnose(job, timeframe, timerange)
        stages.done()
    if job.lookahead:
        from gentrade_engine.validate import lookahead

        stages.enter("lookahead")
        reply["lookahead"] = lookahead.analyse(job, timeframe, timerange)
        stages.done()
        # Freqtrade's other bias check goes with it: the indicators' dependence on the startup count.
        from gentrade_engine.validate import recursive

        stages.enter("recursive")
        reply["recursive"] = recursive.analyse(job, timeframe, timerange)
        stages.done()
    return reply


def run_stages(job: SandboxJob, memory_mb: int | None, on_stage: OnStage) -> dict[str, Any]:
    """Load, smoke, diagnosis, lookahead: `{"ok": true, "stages", ...verdict}` or an error."""
    stages = _Stages(on_stage)
    try:
        loaded, refused = _load(job, stages)
        reply = refused if refused is not None else _after_load(job, loaded, stages)
    except EngineError as err:
        return {"ok": False, "code": err.code, "message": err.message}
    except MemoryError:
        amount = f"more than {memory_mb} MB of" if memory_mb else "more than its allowance of"
        stage = stages.current
        message = f"The strategy needed {amount} memory during the {stage} stage and was stopped."
        return {
            "ok": True,
            "stages": stages.timings,
            **rejected(stages.current, "memory-limit", message),
        }
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the sandbox must always answer
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        if _freqtrade_refusal(err):  # in the diagnosis or lookahead: still a sentence, not a crash
            stage = stages.current
            message = f"Freqtrade stopped the strategy during the {stage} stage: {last}"
            return {"ok": True, "stages": stages.timings, **rejected(stage, "freqtrade-refused", message)}
        return {"ok": False, "code": "ENGINE", "message": f"Validation failed unexpectedly: {last}"}
    return {"ok": True, "stages": stages.timings, **reply}
