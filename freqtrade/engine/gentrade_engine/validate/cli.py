# `python -m gentrade_engine validate`: the request on stdin, one JSON line on stdout;
# exit 0 when the pipeline ran (accepted or not), 1 on an engine-level failure. Strategy
# code runs only in the forked, sandboxed child the pipeline starts.

from __future__ import annotations

import sys

from gentrade_engine.backtest.stdout_guard import emit, reserve_stdout
from gentrade_engine.validate.pipeline import run


def main() -> int:
    out = reserve_stdout()  # Freqtrade prints tables; only the verdict goes to stdout
    reply = run(sys.stdin.read())
    emit(out, reply)
    return 0 if reply.get("ok") else 1
