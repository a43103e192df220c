# What a finished child's run amounts to: its reply when it answered, or which limit stopped it
# when it died or was killed. A validation stopped by a limit is a verdict, not an engine error:
# the strategy is rejected at the stage it was in (the child announces each stage on its pipe).

from __future__ import annotations

import json
import os
import signal
from typing import Any

from gentrade_engine.server.sandbox import Limits

Reply = dict[str, Any]
STAGE_PREFIX = b"#stage "
# A backtest's progress: "#progress <phase> <percent or ->", forwarded by the server as it comes.
PROGRESS_PREFIX = b"#progress "


def limit_reply(rule: str, message: str) -> Reply:
    return {"ok": False, "code": "LIMIT", "rule": rule, "message": message}


def cpu_reply(seconds: int) -> Reply:
    return limit_reply(
        "cpu-limit",
        f"The strategy used more than {seconds} s of CPU time and was stopped. Look for a loop "
        "that never ends in its code, or try a shorter date range.",
    )


def memory_reply(memory_mb: int) -> Reply:
    return limit_reply(
        "memory-limit",
        f"The strategy needed more than {memory_mb} MB of memory and was stopped. "
        "Look for data that grows without end in its code, or try a shorter date range.",
    )


def timeout_reply(seconds: float) -> Reply:
    return limit_reply(
        "timeout",
        f"The run took longer than {seconds:g} s and was stopped. "
        "Try a shorter date range or fewer pairs.",
    )


def flood_reply(limit: int) -> Reply:
    return limit_reply(
        "output-limit",
        f"The strategy wrote more than {limit // (1024 * 1024)} MB where the engine expects its "
        "short answer, and was stopped.",
    )


def cancelled_reply() -> Reply:
    return {"ok": False, "code": "CANCELLED", "message": "The run was cancelled."}


def died_reply(limits: Limits, status: int, cpu_used: float) -> Reply:
    """Why a child that never answered died."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return cpu_reply(limits.cpu_seconds)
        if sig == signal.SIGKILL:
            # Not our kill: the hard CPU limit, or the kernel's out-of-memory killer.
            if cpu_used >= limits.cpu_seconds:
                return cpu_reply(limits.cpu_seconds)
            return memory_reply(limits.memory_mb)
        name = signal.Signals(sig).name
        return {
            "ok": False,
            "code": "ENGINE",
            "message": f"The engine process crashed ({name}) while running the strategy.",
        }
    return {"ok": False, "code": "ENGINE", "message": "The engine process ended without an answer."}


def read_output(output: bytes) -> tuple[str | None, Reply | None]:
    """(the last stage the child announced, its reply) from what it wrote on its pipe."""
    stage: str | None = None
    body: list[bytes] = []
    for line in output.split(b"\n"):
        if line.startswith(STAGE_PREFIX):
            stage = line[len(STAGE_PREFIX) :].decode("utf-8", "replace").strip()
        elif line.startswith(PROGRESS_PREFIX):
            continue
        elif line.strip():
            body.append(line)
    if not body:
        return stage, None
    try:
        reply = json.loads(body[-1])
    except ValueError:
        return stage, None
    return stage, reply if isinstance(reply, dict) else None


def as_verdict(command: str, stage: str | None, reply: Reply) -> Reply:
    """For `validate`, a limit stop becomes a rejection at the stage that was running."""
    if command != "validate" or reply.get("code") != "LIMIT":
        return reply
    where = stage or "load"
    violation = {"stage": where, "rule": reply["rule"], "line": None, "message": reply["message"]}
    return {"ok": True, "accepted": False, "stage": where, "violations": [violation]}
