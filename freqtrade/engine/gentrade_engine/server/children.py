# One forked child per request. The child sandboxes itself, runs the command and writes its reply
# to a pipe; the parent reads the pipe and, when the child died instead of answering, says which
# limit stopped it.

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gentrade_engine.server import sandbox
from gentrade_engine.server.dispatch import dispatch, memory_reply
from gentrade_engine.server.protocol import Envelope, encode


@dataclass
class Child:
    pid: int
    fd: int
    envelope: Envelope
    workdir: Path
    deadline: float
    output: bytearray = field(default_factory=bytearray)


def _child_main(envelope: Envelope, workdir: Path) -> bytes:
    try:
        network = sandbox.enter(workdir, envelope.limits)
        reply = dispatch(envelope)
        reply["network"] = network
        return encode(reply).encode("utf-8")
    except BaseException as err:  # noqa: BLE001 - whatever happens, answer and leave
        traceback.print_exc(file=sys.stderr)
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        if isinstance(err, MemoryError):
            return encode(memory_reply(envelope.limits.memory_mb)).encode("utf-8")
        return encode(
            {"ok": False, "code": "ENGINE", "message": f"The engine failed unexpectedly: {last}"}
        ).encode("utf-8")


def start(envelope: Envelope, close_in_child: list[int]) -> Child:
    """Fork a child for `envelope`; `close_in_child` are the server's own descriptors."""
    workdir = Path(tempfile.mkdtemp(prefix="gentrade-run-"))
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child never returns into the server loop
        status = 1
        try:
            os.close(read_fd)
            for fd in close_in_child:
                os.close(fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            data = _child_main(envelope, workdir)
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view) :]
            status = 0
        finally:
            sys.stderr.flush()
            os._exit(status)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    deadline = time.monotonic() + envelope.limits.timeout_seconds
    return Child(pid=pid, fd=read_fd, envelope=envelope, workdir=workdir, deadline=deadline)


def _limit(rule: str, message: str) -> dict[str, Any]:
    return {"ok": False, "code": "LIMIT", "rule": rule, "message": message}


def _cpu_reply(seconds: int) -> dict[str, Any]:
    return _limit(
        "cpu-limit",
        f"The strategy used more than {seconds} s of CPU time and was stopped. Look for a loop "
        "that never ends in its code, or try a shorter date range.",
    )


def _died(child: Child, status: int, cpu_used: float) -> dict[str, Any]:
    limits = child.envelope.limits
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return _cpu_reply(limits.cpu_seconds)
        if sig == signal.SIGKILL:
            # Not our kill: the hard CPU limit, or the kernel's out-of-memory killer.
            if cpu_used >= limits.cpu_seconds:
                return _cpu_reply(limits.cpu_seconds)
            return memory_reply(limits.memory_mb)
        name = signal.Signals(sig).name
        return {
            "ok": False,
            "code": "ENGINE",
            "message": f"The engine process crashed ({name}) while running the strategy.",
        }
    return {
        "ok": False,
        "code": "ENGINE",
        "message": "The engine process ended without an answer.",
    }


def cancelled_reply() -> dict[str, Any]:
    return {"ok": False, "code": "CANCELLED", "message": "The run was cancelled."}


def finish(child: Child, *, stop: str | None = None) -> dict[str, Any]:
    """Reap the child and build its reply (the caller adds the id).

    `stop` is "timeout" or "cancel" when the server ends the child itself.
    """
    if stop is not None:
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status, usage = os.wait4(child.pid, 0)
    os.close(child.fd)
    shutil.rmtree(child.workdir, ignore_errors=True)
    if stop == "cancel":
        return cancelled_reply()
    if stop == "timeout":
        seconds = child.envelope.limits.timeout_seconds
        return _limit(
            "timeout",
            f"The run took longer than {seconds:g} s and was stopped. "
            "Try a shorter date range or fewer pairs.",
        )
    if child.output:
        try:
            reply = json.loads(child.output)
        except ValueError:
            reply = None
        if isinstance(reply, dict):
            return reply
    return _died(child, status, usage.ru_utime + usage.ru_stime)
