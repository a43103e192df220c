# The one sandbox every run of strategy code enters, whether it is a warm server's child or the
# child the one-shot `validate` command forks. The boundary is the operating system (isolation.py):
# namespaces, a filesystem view with nothing of the app's data in it, an unprivileged uid, no
# capabilities, no_new_privs and a seccomp filter. Around it: death with the parent, its own
# process group (the parent kills the group), an environment that holds nothing but what Python
# needs, CPU, memory, process, file-size and open-file limits, and, as defence in depth, the Python
# audit hooks (runtime_guard.py, network_guard.py). Where the OS boundary cannot be had, MODE says
# so and only the Python-level guards remain.

from __future__ import annotations

import ctypes
import os
import resource
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gentrade_engine.server import isolation, runtime_guard
from gentrade_engine.server.view import build as build_view

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
# Variables a child keeps; everything else (even if the TS side let it through) is dropped.
_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
# Libraries that start one thread per core reserve address space per thread; one is plenty.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_MAX_THREADS")
# The gap between the soft CPU limit (SIGXCPU) and the hard one (SIGKILL).
_CPU_GRACE_SECONDS = 2
# Tasks a run may add to its user's count: its threads, never a fork bomb.
_NPROC_HEADROOM = 64
# No single file a run writes may be larger (Freqtrade's result for years of 5m candles is a
# few MB), and no run holds more descriptors open.
_MAX_FILE_BYTES = 512 * 1024 * 1024
_MAX_OPEN_FILES = 1024

Network = str  # "isolated" | "not isolated"


@dataclass(frozen=True)
class Limits:
    """What one child may use: CPU seconds, address space, wall-clock seconds."""

    cpu_seconds: int = 600
    memory_mb: int = 3072
    timeout_seconds: float = 900.0


def libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this child when its parent dies, so no strategy outlives it."""
    lib = libc()
    if lib is not None and hasattr(lib, "prctl"):
        lib.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def drop_network() -> Network:
    """Move into a fresh network namespace (only a downed loopback inside).

    A new user namespace comes first so this works without privileges and so a root parent's
    child gives up its capabilities outside; if the kernel refuses both forms, say so.
    """
    lib = libc()
    if lib is None or not hasattr(lib, "unshare"):
        return "not isolated"
    for flags in (_CLONE_NEWUSER | _CLONE_NEWNET, _CLONE_NEWNET):
        if lib.unshare(flags) == 0:
            return "isolated"
    return "not isolated"


def _user_tasks() -> int:
    """Tasks (processes and their threads) of this real uid, as RLIMIT_NPROC counts them."""
    uid = str(os.getuid())
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [uid]:
            total += int(fields.get("Threads", "1").strip() or 1)
    return total


@dataclass(frozen=True)
class Mode:
    """How runs are sandboxed in this process (set once at start, see configure)."""

    os_boundary: bool = False
    python_guards: bool = True
    engine_dir: str | None = None
    # Why the OS boundary is missing, in a sentence; None when it holds.
    reason: str | None = "the sandbox has not been configured"


MODE = Mode()


def set_limits(limits: Limits, user_tasks: int) -> None:
    """`user_tasks`: the run's uid's tasks, counted before leaving the user namespace (inside a
    new one every uid reads as unmapped); 0 when the run has a uid of its own."""
    cpu = limits.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + _CPU_GRACE_SECONDS))
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # A crash must not write a core file of the whole address space.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # A ceiling for fork bombs. The kernel counts every task (threads too: a backtest starts a
    # few) of the user, so the cap is what the user runs now plus room for this run's threads.
    # Linux exempts root (uid 0) from it: runs as root get a uid of their own (isolation.py).
    _, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    tasks = user_tasks + _NPROC_HEADROOM
    cap = tasks if hard == resource.RLIM_INFINITY else min(tasks, hard)
    resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_MAX_FILE_BYTES, _MAX_FILE_BYTES))
    _, open_hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    files = _MAX_OPEN_FILES if open_hard == resource.RLIM_INFINITY else min(_MAX_OPEN_FILES, open_hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))


def scrub_environment(home: Path) -> None:
    kept = {name: os.environ[name] for name in _KEPT_ENV if name in os.environ}
    os.environ.clear()
    os.environ.update(kept)
    os.environ.update(dict.fromkeys(_ONE_THREAD, "1"))
    os.environ["HOME"] = str(home)
    os.environ["TMPDIR"] = str(home)
    tempfile.tempdir = str(home)  # the module caches its choice; forget the parent's


def own_process_group() -> None:
    """Lead a new process group, so the parent's killpg reaches whatever this child starts."""
    os.setpgid(0, 0)


def enter(
    workdir: Path,
    limits: Limits,
    results_dir: Path | None = None,
    inputs: tuple[Path, ...] = (),
    reply_fds: tuple[int, ...] = (),
) -> Network:
    """Sandbox the calling (freshly forked) process; returns whether the network is gone.

    `results_dir` is the request's results folder (writable besides `workdir`); `inputs` are the
    files and folders it reads (strategy, data, markets), the only ones of the machine it sees.
    With the OS boundary on, this returns in a grandchild (see isolation.py) and the forked child
    only waits for it. `reply_fds` are the descriptors the run answers on: the waiter closes them,
    and the run closes every other descriptor it inherited.
    """
    from gentrade_engine.backtest.network_guard import block_network

    die_with_parent()
    own_process_group()
    user_tasks = _user_tasks()
    if MODE.os_boundary:
        if results_dir is not None:  # it must exist to appear in the view
            results_dir.mkdir(parents=True, exist_ok=True)
        view = build_view(workdir, results_dir, inputs, MODE.engine_dir)
        uid, gid = isolation.enter(view, reply_fds)
        scrub_environment(workdir)
        network: Network = "isolated"
        # As root the run has a uid of its own, so the cap counts its threads alone.
        set_limits(limits, user_tasks if isolation.rootless() else 0)
        isolation.drop_privileges(uid, gid)
    else:
        os.chdir(workdir)
        scrub_environment(workdir)
        # Without the OS boundary a network namespace alone is still worth having ("off", for
        # the escape tests' controls, goes without).
        network = drop_network() if MODE.python_guards else "not isolated"
        set_limits(limits, user_tasks)
    if MODE.python_guards:
        block_network()
        runtime_guard.install(runtime_guard.confinement(Path.cwd(), results_dir, inputs))
    return network
