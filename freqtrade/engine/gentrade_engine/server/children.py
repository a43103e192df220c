# One forked child per run of strategy code, for the warm server and the one-shot `validate`
# command alike. The child enters the sandbox (sandbox.py), announces each stage and finally writes
# its reply on a pipe; the parent reads the pipe and, when the child died or ran out of time instead
# of answering, says which limit stopped it (outcome.py).

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from gentrade_engine.server import outcome, sandbox
from gentrade_engine.server.dispatch import dispatch, limits_for
from gentrade_engine.server.protocol import Envelope, encode
from gentrade_engine.server.results_dir import sanitize as results_dir_plain
from gentrade_engine.server.runtime_guard import RUN_FOLDER_PREFIX
from gentrade_engine.server.sandbox import Limits

_PR_SET_CHILD_SUBREAPER = 36
# A reply is one JSON line (a verdict with its violations, a few KB); stage lines are tiny.
_MAX_OUTPUT = 4 * 1024 * 1024


@dataclass
class Child:
    pid: int
    fd: int
    envelope: Envelope
    limits: Limits
    workdir: Path
    deadline: float
    output: bytearray = field(default_factory=bytearray)
    flooded: bool = False
    # How much of `output` has been looked at for progress lines.
    scanned: int = 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _request_paths(envelope: Envelope) -> tuple[Path | None, tuple[Path, ...]]:
    """The request's results folder and the inputs it names; the sandbox resolves them from its
    working folder, as the request parsers do."""
    request = envelope.request

    def path(key: str) -> Path | None:
        value = request.get(key)
        if not isinstance(value, str) or not value.strip():
            return None
        return Path(value.strip()).expanduser()

    inputs = [path(key) for key in ("strategy_path", "datadir", "markets_path")]
    markets = inputs[2]
    if markets is not None:  # the futures snapshot sits beside the spot one (synth/markets.py)
        inputs.append(markets.with_name(f"{markets.stem}.futures.json"))
    results_dir = path("results_dir") if envelope.command in ("backtest", "hyperopt") else None
    return results_dir, tuple(p for p in inputs if p is not None)


def _child_main(envelope: Envelope, limits: Limits, workdir: Path, out_fd: int) -> bytes:
    def on_stage(stage: str) -> None:
        _write_all(out_fd, outcome.STAGE_PREFIX + stage.encode("ascii", "replace") + b"\n")

    def on_progress(phase: str, percent: float | None) -> None:
        shown = "-" if percent is None else f"{percent:.1f}"
        _write_all(out_fd, outcome.PROGRESS_PREFIX + f"{phase} {shown}\n".encode("ascii", "replace"))

    def on_epoch(done: int, total: int, best: float | None) -> None:
        # A hyperopt's progress: the phase, the percent of epochs, then epochs done and best loss.
        percent = 100.0 * done / total if total else 0.0
        line = f"hyperopt {percent:.1f} {done}/{total} {'-' if best is None else repr(best)}\n"
        _write_all(out_fd, outcome.PROGRESS_PREFIX + line.encode("ascii", "replace"))

    try:
        results_dir, inputs = _request_paths(envelope)
        network = sandbox.enter(workdir, limits, results_dir, inputs, (out_fd,))
        reply = dispatch(envelope, limits, on_stage, on_progress, on_epoch)
        reply["network"] = network
        return encode(reply).encode("utf-8")
    except BaseException as err:  # noqa: BLE001 - whatever happens, answer and leave
        traceback.print_exc(file=sys.stderr)
        if isinstance(err, MemoryError):
            return encode(outcome.memory_reply(limits.memory_mb)).encode("utf-8")
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return encode(
            {"ok": False, "code": "ENGINE", "message": f"The engine failed unexpectedly: {last}"}
        ).encode()


def start(envelope: Envelope, close_in_child: list[int]) -> Child:
    """Fork a child for `envelope`; `close_in_child` are the parent's own descriptors."""
    limits = limits_for(envelope)
    workdir = Path(tempfile.mkdtemp(prefix=RUN_FOLDER_PREFIX))
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child never returns into the parent's code
        status = 1
        try:
            os.close(read_fd)
            for fd in close_in_child:
                os.close(fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _write_all(write_fd, _child_main(envelope, limits, workdir, write_fd))
            status = 0
        finally:
            sys.stderr.flush()
            os._exit(status)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    deadline = time.monotonic() + limits.timeout_seconds
    return Child(
        pid=pid, fd=read_fd, envelope=envelope, limits=limits, workdir=workdir, deadline=deadline
    )


def read(child: Child) -> bool:
    """Take what the child wrote; False once its pipe is closed (it answered or died). A child
    that writes more than a reply could hold is killed: its output must not fill our memory."""
    try:
        chunk = os.read(child.fd, 65536)
    except BlockingIOError:
        return True
    if len(child.output) + len(chunk) > _MAX_OUTPUT:
        if not child.flooded:
            child.flooded = True
            kill_group(child.pid)
        return bool(chunk)
    child.output += chunk
    return bool(chunk)


Progress = tuple[str, "float | None", dict[str, Any]]


def _epochs(parts: list[str]) -> dict[str, Any] | None:
    """A hyperopt line's "done/total best" as event fields, or None when malformed."""
    done, _, total = parts[0].partition("/")
    if not (done.isdigit() and total.isdigit()):
        return None
    try:
        best = None if parts[1] == "-" else float(parts[1])
    except ValueError:
        return None
    return {"epochs": int(done), "total": int(total), "best_loss": best}


def new_progress(child: Child) -> list[Progress]:
    """The progress lines the child wrote since the last call, as (phase, percent, extra fields):
    a hyperopt's lines also carry epochs done, the total and the best loss so far."""
    end = child.output.rfind(b"\n") + 1
    if end <= child.scanned:
        return []
    lines = bytes(child.output[child.scanned : end]).split(b"\n")
    child.scanned = end
    found: list[Progress] = []
    for line in lines:
        if not line.startswith(outcome.PROGRESS_PREFIX):
            continue
        parts = line[len(outcome.PROGRESS_PREFIX) :].decode("ascii", "replace").split()
        hyperopt = parts[:1] == ["hyperopt"] and len(parts) == 4
        if len(parts) != 2 and not hyperopt:
            continue
        try:
            percent = None if parts[1] == "-" else float(parts[1])
        except ValueError:
            continue
        extra = _epochs(parts[2:]) if hyperopt else {}
        if extra is not None:
            found.append((parts[0], percent, extra))
    return found


def kill_group(pid: int) -> None:
    """SIGKILL the child's process group (it leads one, see sandbox.py), or the child alone.

    A group outlives its leader while members remain, so its id is not reused meanwhile.
    """
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def become_subreaper() -> bool:
    """Make orphaned descendants of the children ours (not init's), so reap_strays finds them."""
    libc = sandbox.libc()
    return libc is not None and libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _parent_of(pid: str) -> int | None:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; the parent pid follows the state.
    fields = stat_line.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None


def reap_strays(known: set[int]) -> list[int]:
    """Kill and reap our children that are not running requests: descendants of a finished child
    that left its process group (setsid) and were handed to us as their subreaper. A killed
    stray's own children are handed to us in turn, so sweep until a pass finds none."""
    me = os.getpid()
    killed: list[int] = []
    while True:
        strays = [
            int(pid)
            for pid in os.listdir("/proc")
            if pid.isdigit() and int(pid) not in known and _parent_of(pid) == me
        ]
        if not strays:
            return killed
        for pid in strays:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        killed += strays


def finish(child: Child, *, stop: str | None = None) -> dict[str, Any]:
    """Reap the child and build its reply (the caller adds the id).

    `stop` is "timeout" or "cancel" when the parent ends the child itself.
    """
    if stop is not None:
        kill_group(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    # Whatever the child started in its process group dies with it, answer or not.
    kill_group(child.pid)
    os.close(child.fd)
    shutil.rmtree(child.workdir, ignore_errors=True)
    results_dir, _ = _request_paths(child.envelope)
    if results_dir is not None:
        try:
            results_dir_plain(results_dir)
        except OSError:  # the reply still goes out; the log says what could not be made plain
            logging.getLogger("gentrade_engine").exception("could not tidy %s", results_dir)
    if stop == "cancel":
        return outcome.cancelled_reply()
    stage, reply = outcome.read_output(bytes(child.output))
    if child.flooded:
        reply = outcome.flood_reply(_MAX_OUTPUT)
    elif stop == "timeout":
        reply = outcome.timeout_reply(child.limits.timeout_seconds)
    elif reply is None:
        reply = outcome.died_reply(child.limits, status, usage.ru_utime + usage.ru_stime)
    return outcome.as_verdict(child.envelope.command, stage, reply)


def run_one(
    command: str,
    request: dict[str, Any],
    limits: Limits,
    on_progress: Callable[[str, float | None, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """One sandboxed run outside the server: fork, wait for the reply or the deadline. The
    child's progress lines go to `on_progress` as they come (phase, percent and a hyperopt's epoch
    fields), as the warm server forwards them."""
    child = start(Envelope(id=command, command=command, request=request, limits=limits), [])
    while True:
        remaining = child.deadline - time.monotonic()
        if remaining <= 0:
            return finish(child, stop="timeout")
        ready, _, _ = select.select([child.fd], [], [], remaining)
        if ready and not read(child):
            return finish(child)
        if on_progress is not None:
            for phase, percent, extra in new_progress(child):
                on_progress(phase, percent, extra)
