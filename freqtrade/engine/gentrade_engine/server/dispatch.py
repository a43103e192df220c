# Runs one command inside the sandboxed child and turns every outcome into a reply dict.
# `validate` lives in gentrade_engine.validate; until that module exists the command says so.

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from typing import Any

from gentrade_engine.backtest.run import caused_by_memory, run_backtest
from gentrade_engine.server.protocol import Envelope

Reply = dict[str, Any]

# `run(request) -> dict`, exported by the package or by its pipeline module.
VALIDATE_MODULES = ("gentrade_engine.validate", "gentrade_engine.validate.pipeline")


def load_validate() -> Callable[[dict[str, Any]], Reply] | None:
    """The validation pipeline's entry point, or None while it is not installed."""
    for name in VALIDATE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name in VALIDATE_MODULES:
                continue
            raise
        run = getattr(module, "run", None)
        if callable(run):
            return run
    return None


def memory_reply(memory_mb: int) -> Reply:
    return {
        "ok": False,
        "code": "LIMIT",
        "rule": "memory-limit",
        "message": f"The strategy needed more than {memory_mb} MB of memory and was stopped. "
        "Look for data that grows without end in its code, or try a shorter date range.",
    }


def _validate(request: dict[str, Any]) -> Reply:
    run = load_validate()
    if run is None:
        return {"ok": False, "code": "BAD_REQUEST", "message": "validate is not available"}
    from gentrade_engine.server.validate_inline import warm_validate

    reply = warm_validate(run)(request)
    if not isinstance(reply, dict):
        raise TypeError(f"validate returned {type(reply).__name__}, not a dict")
    # A verdict (accepted or rejected) is a successful answer; only errors carry ok: false.
    return {"ok": "accepted" in reply, **reply}


def dispatch(envelope: Envelope) -> Reply:
    try:
        if envelope.command == "backtest":
            return run_backtest(envelope.request, raise_memory=True)
        if envelope.command == "validate":
            return _validate(envelope.request)
        return {"ok": True, "pong": True}
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the child must always answer
        if caused_by_memory(err):
            return memory_reply(envelope.limits.memory_mb)
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return {"ok": False, "code": "ENGINE", "message": f"The engine failed unexpectedly: {last}"}
