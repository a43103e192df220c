# The validation pipeline runs its load and smoke stages in a fresh `python -m
# gentrade_engine.validate.sandbox` process, which pays Freqtrade's import again. A server child is
# already that sandbox (limits set, network dropped, own folder), so here the pipeline's child step
# is swapped, in this forked child only, for the same stages run in-process and warm.
# Falls back to the pipeline as written when its pieces are not where this expects them.

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

Reply = dict[str, Any]


def _inline_child(job: Any, _request: Any, _tmp: Path) -> Reply:
    from gentrade_engine.backtest.network_guard import block_network
    from gentrade_engine.errors import EngineError
    from gentrade_engine.validate import sandbox

    block_network()
    stages: list[dict[str, Any]] = []
    try:
        reply = sandbox._run_stages(job, stages)
    except EngineError as err:
        return {"ok": False, "code": err.code, "message": err.message}
    except MemoryError:
        message = "The strategy ran out of its memory allowance."
        return {"ok": True, **sandbox.rejected("load", "memory-limit", message)}
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the child must always answer
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return {"ok": False, "code": "ENGINE", "message": f"Validation failed unexpectedly: {last}"}
    return {"ok": True, "stages": stages, **reply}


def warm_validate(run: Callable[[Reply], Reply]) -> Callable[[Reply], Reply]:
    """`run` with its child step in-process, when the pipeline has the expected seams."""
    try:
        from gentrade_engine.validate import pipeline, sandbox
    except ImportError:
        return run
    if not (hasattr(pipeline, "_run_child") and hasattr(sandbox, "_run_stages")):
        return run
    pipeline._run_child = _inline_child  # only in this forked child
    return run
