# The one-shot commands that run strategy code (`backtest`, `hyperopt`), as a container runs them:
# the request on stdin; on stdout, progress lines (`{"event": "progress", ...}`, the warm server's
# events without an id) and then one JSON reply line. The strategy runs in a forked, sandboxed child,
# as in the warm server (inside a container that does not allow namespaces, the container is the
# boundary and the probe says so).

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from gentrade_engine.backtest.stdout_guard import emit, reserve_stdout
from gentrade_engine.server.sandbox import Limits


def run_oneshot(
    command: str,
    refuse: Callable[[str], dict[str, Any]],
    limits_for: Callable[[dict[str, Any]], Limits],
) -> int:
    """`refuse` words the reply to a request that is not a JSON object (no strategy code runs);
    `limits_for` sizes the child for the request."""
    out = reserve_stdout()
    raw = sys.stdin.read()
    try:
        request = json.loads(raw)
    except ValueError:
        request = None
    if not isinstance(request, dict):
        reply = refuse(raw)
    else:
        from gentrade_engine.server import probe
        from gentrade_engine.server.children import run_one
        from gentrade_engine.server.warm import single_threaded_math, warm_up

        single_threaded_math()
        warm_up()
        probe.configure()

        # Progress lines share stdout with the reply, which stays the last line.
        def progress(phase: str, percent: float | None, extra: dict[str, Any]) -> None:
            emit(out, {"event": "progress", "phase": phase, "percent": percent, **extra})

        reply = run_one(command, request, limits_for(request), progress)
        reply.pop("network", None)  # the one-shot reply keeps its documented shape
    emit(out, reply)
    return 0 if reply["ok"] else 1
