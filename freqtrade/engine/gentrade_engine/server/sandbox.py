# The one sandbox every run of strategy code enters, whether it is a warm server's child or the
# child the one-shot `validate` command forks: die with the parent, a private working folder,
# CPU and address-space limits, no network (an empty network namespace where the kernel lets us
# create one, and an audit hook that fails every lookup and IP connection everywhere), and an
# environment that holds nothing but what Python needs.

from __future__ import annotations

import ctypes
import os
import resource
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
# Variables a child keeps; everything else (even if the TS side let it through) is dropped.
_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
# Libraries that start one thread per core reserve address space per thread; one is plenty.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_MAX_THREADS")
# The gap between the soft CPU limit (SIGXCPU) and the hard one (SIGKILL).
_CPU_GRACE_SECONDS = 2

Network = str  # "isolated" | "not isolated"


@dataclass(frozen=True)
class Limits:
    """What one child may use: CPU seconds, address space, wall-clock seconds."""

    cpu_seconds: int = 600
    memory_mb: int = 3072
    timeout_seconds: float = 900.0


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this child when its parent dies, so no strategy outlives it."""
    libc = _libc()
    if libc is not None and hasattr(libc, "prctl"):
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def drop_network() -> Network:
    """Move into a fresh network namespace (only a downed loopback inside).

    A new user namespace comes first so this works without privileges and so a root parent's
    child gives up its capabilities outside; if the kernel refuses both forms, say so.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "unshare"):
        return "not isolated"
    for flags in (_CLONE_NEWUSER | _CLONE_NEWNET, _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return "isolated"
    return "not isolated"


def set_limits(limits: Limits) -> None:
    cpu = limits.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + _CPU_GRACE_SECONDS))
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # A crash must not write a core file of the whole address space.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def scrub_environment(home: Path) -> None:
    kept = {name: os.environ[name] for name in _KEPT_ENV if name in os.environ}
    os.environ.clear()
    os.environ.update(kept)
    os.environ.update(dict.fromkeys(_ONE_THREAD, "1"))
    os.environ["HOME"] = str(home)
    os.environ["TMPDIR"] = str(home)
    tempfile.tempdir = str(home)  # the module caches its choice; forget the parent's


def enter(workdir: Path, limits: Limits) -> Network:
    """Sandbox the calling (freshly forked) process; returns whether the network is gone."""
    from gentrade_engine.backtest.network_guard import block_network

    die_with_parent()
    os.chdir(workdir)
    scrub_environment(workdir)
    network = drop_network()
    block_network()
    set_limits(limits)
    return network
