# The validate pipeline as a plain function: `run(request) -> dict`. The static
# policy runs here, in-process, without importing the candidate; only when it passes
# does a child process (sandbox.py) load and backtest the strategy, with CPU and
# memory rlimits, a wall-clock timeout, no network, a private temporary folder and
# an environment holding no secrets. A warm server can call run() directly.

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gentrade_engine.errors import EngineError
from gentrade_engine.policy import check_strategy_source
from gentrade_engine.validate.job import SandboxJob
from gentrade_engine.validate.request import ValidateRequest, parse_validate_request
from gentrade_engine.validate.sandbox import STAGE_MARK, rejected

ENGINE_DIR = Path(__file__).resolve().parents[2]
# Libraries that start one thread per core reserve address space per thread; one is plenty.
_ONE_THREAD = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_MAX_THREADS")}


def _child_env(tmp: Path) -> dict[str, str]:
    """Only what Python needs: no tokens, keys or database URIs reach strategy code."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ENGINE_DIR),
        "HOME": str(tmp),
        "TMPDIR": str(tmp),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        **_ONE_THREAD,
    }
    return env


def _last_stage(stderr: str) -> str:
    marks = [line.split(STAGE_MARK, 1)[1].strip() for line in stderr.splitlines() if STAGE_MARK in line]
    stage = marks[-1] if marks else "load"
    return "smoke" if stage in ("diagnosis", "lookahead") else stage


def _limit_verdict(returncode: int, stderr: str, request: ValidateRequest) -> dict[str, Any] | None:
    stage = _last_stage(stderr)
    cpu = request.limits.cpu_seconds
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return rejected(stage, "cpu-limit", f"The strategy used more than {cpu} seconds of CPU time and was stopped.")
    if "MemoryError" in stderr[-4000:] or returncode in (-signal.SIGSEGV, -signal.SIGABRT):
        mb = request.limits.memory_mb
        return rejected(stage, "memory-limit", f"The strategy needed more than {mb} MB of memory and was stopped.")
    return None


def _run_child(job: SandboxJob, request: ValidateRequest, tmp: Path) -> dict[str, Any]:
    payload = {**job.to_json(), "cpu_seconds": request.limits.cpu_seconds, "memory_mb": request.limits.memory_mb}
    child = subprocess.Popen(
        [sys.executable, "-m", "gentrade_engine.validate.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(tmp),
        cwd=tmp,
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate(json.dumps(payload), timeout=request.limits.timeout_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        _stdout, stderr = child.communicate()
        seconds = request.limits.timeout_seconds
        verdict = rejected(_last_stage(stderr), "timeout", f"The strategy did not finish within {seconds} seconds and was stopped.")
        return {"ok": True, **verdict}
    sys.stderr.write(stderr[-20000:])
    lines = stdout.strip().splitlines()
    if lines:
        reply: dict[str, Any] = json.loads(lines[-1])
        return reply
    verdict = _limit_verdict(child.returncode, stderr, request)
    if verdict:
        return {"ok": True, **verdict}
    raise EngineError("ENGINE", f"The validation process stopped without an answer (exit {child.returncode}).")


def run(raw_request: Any) -> dict[str, Any]:
    """Validate one strategy file; the reply shape is documented in freqtrade/engine/README.md."""
    try:
        request = parse_validate_request(raw_request)
        return _validate(request)
    except EngineError as err:
        return {"ok": False, "code": err.code, "message": err.message}


def _validate(request: ValidateRequest) -> dict[str, Any]:
    path = request.strategy_path
    if not path.is_file() or path.suffix != ".py":
        raise EngineError("STRATEGY_LOAD", f"The strategy file {path} does not exist or is not a .py file.")
    began = time.perf_counter()
    verdict = check_strategy_source(path.read_bytes(), request.strategy_class)
    stages = [{"stage": "static", "ms": round((time.perf_counter() - began) * 1000, 2)}]
    if verdict.violations or verdict.strategy is None:
        violations = [v.to_dict() for v in verdict.violations]
        return {"ok": True, "accepted": False, "stage": "static", "violations": violations, "stages": stages}
    with tempfile.TemporaryDirectory(prefix="gentrade-validate-") as tmp:
        job = SandboxJob(
            strategy_path=str(path),
            strategy_class=verdict.strategy.name,
            timeframe=request.timeframe or verdict.strategy.timeframe,
            pairs=list(request.pairs),
            timerange=request.timerange,
            datadir=str(request.datadir),
            markets_path=str(request.markets_path),
            work_dir=str(Path(tmp) / "work"),
            smoke=request.smoke,
            lookahead=request.lookahead,
        )
        reply = _run_child(job, request, Path(tmp))
    if not reply.get("ok"):
        return reply
    reply["stages"] = stages + reply.get("stages", [])
    reply["class"] = verdict.strategy.name
    return reply
