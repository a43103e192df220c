# Runs one command inside the sandboxed child and turns every outcome into a reply dict; also
# decides what the child may use: a validation's own `limits` (or the envelope's, or the validate
# defaults), a backtest's envelope limits (or the server defaults).

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from gentrade_engine.backtest.run import caused_by_memory, run_backtest
from gentrade_engine.errors import EngineError
from gentrade_engine.server.outcome import memory_reply
from gentrade_engine.server.protocol import Envelope
from gentrade_engine.server.sandbox import Limits
from gentrade_engine.validate.request import default_limits, parse_limits

Reply = dict[str, Any]


def limits_for(envelope: Envelope) -> Limits:
    lookahead = envelope.request.get("lookahead") is True
    if envelope.command == "validate" and isinstance(envelope.request.get("limits"), dict):
        try:
            return parse_limits(envelope.request["limits"], lookahead)
        except EngineError:
            pass  # the child's request parser words the refusal
    if envelope.limits is not None:
        return envelope.limits
    if envelope.command in ("validate", "diagnose"):
        return default_limits(envelope.command == "validate" and lookahead)
    return Limits()


def dispatch(
    envelope: Envelope,
    limits: Limits,
    on_stage: Callable[[str], None],
    on_progress: Callable[[str, float | None], None] | None = None,
    on_epoch: Callable[[int, int, float | None], None] | None = None,
) -> Reply:
    try:
        if envelope.command == "backtest":
            return run_backtest(envelope.request, raise_memory=True, on_progress=on_progress)
        if envelope.command == "hyperopt":
            from gentrade_engine.hyperopt.run import run_hyperopt

            return run_hyperopt(envelope.request, raise_memory=True, on_epoch=on_epoch)
        if envelope.command == "validate":
            from gentrade_engine.validate import pipeline

            return pipeline.run(
                envelope.request, in_process=True, on_stage=on_stage, memory_mb=limits.memory_mb
            )
        if envelope.command == "diagnose":
            from gentrade_engine.validate import diagnose_request

            return diagnose_request.run(envelope.request)
        return {"ok": True, "pong": True}
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the child must always answer
        if caused_by_memory(err):
            return memory_reply(limits.memory_mb)
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return {"ok": False, "code": "ENGINE", "message": f"The engine failed unexpectedly: {last}"}
