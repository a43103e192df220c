# Decides, once at start, how this engine sandboxes runs: it forks a child that sets up the whole
# OS boundary exactly as a run would and reports whether every step held. When one fails (no
# permission for namespaces, a container's seccomp profile, macOS), the engine says why in its
# ready line and the app refuses pasted code; the Python-level guards still apply to the rest.

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from gentrade_engine.server import sandbox
from gentrade_engine.server.sandbox import Limits, Mode

# "full": the OS boundary and the Python guards. The rest are for tests and benchmarks: "os" (the
# OS boundary alone) and "off" (neither) let the escape tests show each attack fails with the
# boundary and succeeds without it; "guards" (the Python guards alone, what a machine without
# namespaces gets) is the benchmarks' baseline.
MODES = ("full", "os", "guards", "off")
_PROBE_LIMITS = Limits(cpu_seconds=10, memory_mb=1024, timeout_seconds=10)
MECHANISMS = (
    "mount, PID, network, IPC and UTS namespaces",
    "a filesystem view of only the venv, the engine, the market data and the run's own folders",
    "an unprivileged uid",
    "no capabilities and no_new_privs",
    "a seccomp filter (no new processes, no exec, no sockets but Unix pairs)",
)


def _probe(engine_dir: str | None) -> str | None:
    """None when a forked child could enter the OS boundary, else why not."""
    if not sys.platform.startswith("linux"):
        return f"the operating system ({sys.platform}) offers no namespaces"
    workdir = Path(tempfile.mkdtemp(prefix="gentrade-probe-"))
    # A file next to the run's folder, as the app's data would be: the run must not see it.
    canary = Path(tempfile.mkdtemp(prefix="gentrade-probe-canary-"))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_fd)
            sandbox.MODE = Mode(os_boundary=True, python_guards=False, engine_dir=engine_dir, reason=None)
            sandbox.enter(workdir, _PROBE_LIMITS, reply_fds=(write_fd,))
            # Inside: PID 1 of its own namespace, and the folder next to it is out of sight.
            if os.getpid() != 1 or os.path.exists(canary):
                raise RuntimeError("the view is not in place")
            status = 0
        except BaseException as err:  # noqa: BLE001 - the reason goes back to the parent
            os.write(write_fd, str(err).encode("utf-8", "replace")[:500])
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        reason = pipe.read().decode("utf-8", "replace").strip()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(canary, ignore_errors=True)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return None
    return reason or f"the probe child ended with status {status}"


def configure(requested: str = "full") -> Mode:
    """Set sandbox.MODE for this process from the requested mode and what the machine allows."""
    engine_dir = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or None
    if requested in ("off", "guards"):
        guards = requested == "guards"
        mode = Mode(os_boundary=False, python_guards=guards, engine_dir=engine_dir, reason="turned off")
    else:
        reason = _probe(engine_dir)
        guards = requested == "full" or reason is not None
        mode = Mode(os_boundary=reason is None, python_guards=guards, engine_dir=engine_dir, reason=reason)
    sandbox.MODE = mode
    return mode


def describe(mode: Mode) -> dict[str, Any]:
    """The ready line's account of the sandbox."""
    return {
        "isolated": mode.os_boundary,
        "mechanisms": list(MECHANISMS) if mode.os_boundary else [],
        "python_guards": mode.python_guards,
        "reason": mode.reason,
    }
