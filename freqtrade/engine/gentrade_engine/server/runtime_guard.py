# Defence in depth for the sandboxed child, installed before any strategy code runs: a Python audit
# hook that refuses starting processes, native code (ctypes), signals to other processes, socket
# connections, writes outside the run's own folders, reads of other runs' folders, changing
# directory, and frame introspection from strategy code. The static policy is the first line;
# this catches what slips past it. It is not a boundary: audit hooks only see what Python
# reports (a raw `os.write` on an inherited descriptor, or C code, passes unseen).

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Every run's temporary folder is named with this prefix (children.py creates them).
RUN_FOLDER_PREFIX = "gentrade-run-"

# Events refused whoever asks: after the sandbox is entered, nothing in a run starts processes,
# changes directory or talks over a socket (the backtest is offline; IP is also network_guard's).
_ALWAYS_REFUSED = frozenset(
    {
        "os.fork",
        "os.forkpty",
        "os.exec",
        "os.posix_spawn",
        "os.system",
        "os.startfile",
        "subprocess.Popen",
        "pty.spawn",
        "os.chdir",
        "os.killpg",
        "socket.bind",
        "socket.connect",
        "socket.sendto",
        "socket.sendmsg",
        "sys.remote_exec",
    }
)
# Events that read the interpreter's own state; libraries use them all the time (logging calls
# sys._getframe on every record), so only a call made from the run's own folders is refused.
_INTROSPECTION = frozenset(
    {
        "sys._getframe",
        "sys._current_frames",
        "sys._current_exceptions",
        "sys.settrace",
        "sys.setprofile",
        "object.__getattr__",
        "code.__new__",
        "function.__new__",
    }
)
# Path events that change the filesystem: (index of a path argument, index of its dir_fd or None).
_CHANGES: dict[str, tuple[tuple[int, int | None], ...]] = {
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.mkfifo": ((0, 2),),
    "os.mknod": ((0, 3),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "os.chflags": ((0, None),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "shutil.copyfile": ((1, None),),
    "shutil.copymode": ((1, None),),
    "shutil.copystat": ((1, None),),
    "shutil.copytree": ((1, None),),
    "shutil.rmtree": ((0, 1),),
    "shutil.move": ((0, None), (1, None)),
    "shutil.chown": ((0, None),),
    "shutil.make_archive": ((0, None),),
    "shutil.unpack_archive": ((1, None),),
}
_LISTINGS = frozenset({"os.listdir", "os.scandir"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Written by libraries that discard output; never a place to hide anything.
_ALWAYS_WRITABLE = ("/dev/null",)


class RuntimeRefusedError(PermissionError):
    """Raised by the guard; a PermissionError so code that expects OSError handles it."""


@dataclass(frozen=True)
class Confinement:
    """Where a run may write (its own folders) and which folders belong to other runs."""

    writable: tuple[str, ...]
    # (folder, name prefix): entries of `folder` whose name starts with the prefix are other runs'.
    private: tuple[tuple[str, str], ...]
    readable: tuple[str, ...]

    def is_private(self, path: str) -> bool:
        """True for a path inside another run's folder (never for this run's own folders)."""
        if _inside(path, self.writable):
            return False
        for folder, prefix in self.private:
            # Listing a folder that holds only runs (the results root) shows the other runs too.
            if not prefix and path == folder:
                return True
            root = folder.rstrip("/") + "/"
            if path.startswith(root) and path[len(root) :].split("/", 1)[0].startswith(prefix):
                return True
        return False


def _real(path: str | bytes | os.PathLike[Any], dir_fd: int | None = None) -> str:
    text = os.fsdecode(path)
    if dir_fd is not None and not os.path.isabs(text):
        text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
    return os.path.realpath(text)


def _inside(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def confinement(workdir: Path, results_dir: Path | None, inputs: Iterable[Path]) -> Confinement:
    """The run's folders: `workdir` and `results_dir` writable; their neighbours private."""
    own = [os.path.realpath(workdir)]
    if results_dir is not None:
        own.append(os.path.realpath(results_dir))
    # Other children's temp folders sit next to this one (same name prefix; the rest of that folder,
    # e.g. /tmp, is not theirs); other backtests are the other entries next to its results folder.
    private = [(os.path.dirname(own[0]), RUN_FOLDER_PREFIX)]
    if results_dir is not None:
        private.append((os.path.dirname(own[1]), ""))
    readable = [*own, *(os.path.realpath(p) for p in inputs), *_ALWAYS_WRITABLE]
    return Confinement(tuple(own), tuple(private), tuple(readable))


class _Guard:
    def __init__(self, rules: Confinement) -> None:
        self.rules = rules
        self.pid = os.getpid()
        self.busy = threading.local()

    def refuse(self, what: str) -> RuntimeRefusedError:
        return RuntimeRefusedError(f"a strategy run may not {what}")

    def from_run_folder(self) -> bool:
        # Frames: 0 this method, 1 judge, 2 the hook, 3 the code that raised the event.
        caller = sys._getframe(3)
        return _inside(caller.f_code.co_filename, self.rules.writable)

    def check_write(self, path: str, what: str) -> None:
        if not _inside(path, self.rules.writable) and path not in _ALWAYS_WRITABLE:
            raise self.refuse(f"{what} {path} (only its own folders are writable)")

    def check_read(self, path: str) -> None:
        if not _inside(path, self.rules.readable) and self.rules.is_private(path):
            raise self.refuse(f"read {path}, another run's folder")

    def on_open(self, args: tuple[Any, ...]) -> None:
        path, mode, flags = args
        writes = bool(flags & _WRITE_FLAGS) or any(c in (mode or "") for c in "wax+")
        if isinstance(path, int):
            # Reopening a descriptor: only regular files, never the reply pipe or a socket.
            if writes and not stat.S_ISREG(os.fstat(path).st_mode):
                raise self.refuse(f"write to descriptor {path}")
            return
        real = _real(path)
        if writes:
            self.check_write(real, "write to")
        else:
            self.check_read(real)

    def on_change(self, event: str, args: tuple[Any, ...]) -> None:
        for index, fd_index in _CHANGES[event]:
            target = args[index]
            if isinstance(target, int):
                if not stat.S_ISREG(os.fstat(target).st_mode):
                    raise self.refuse(f"change descriptor {target}")
                continue
            dir_fd = args[fd_index] if fd_index is not None and len(args) > fd_index else None
            self.check_write(_real(target, dir_fd if isinstance(dir_fd, int) else None), event)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if getattr(self.busy, "on", False):
            return  # the guard's own calls (sys._getframe, realpath) are not judged
        self.busy.on = True
        try:
            self.judge(event, args)
        finally:
            self.busy.on = False

    def judge(self, event: str, args: tuple[Any, ...]) -> None:
        if event in _ALWAYS_REFUSED or event.startswith("ctypes."):
            raise self.refuse(f"use {event}")
        if event == "os.kill" and args and args[0] != self.pid:
            raise self.refuse("signal another process")
        if event == "open":
            self.on_open(args)
        elif event in _CHANGES:
            self.on_change(event, args)
        elif event in _LISTINGS and args and isinstance(args[0], str | bytes | os.PathLike):
            self.check_read(_real(args[0]))
        elif event in _INTROSPECTION and self.from_run_folder():
            raise self.refuse(f"use {event} (interpreter internals)")


def install(rules: Confinement) -> None:
    """Install the guard for the rest of this process (audit hooks cannot be removed)."""
    sys.dont_write_bytecode = True  # compiled files land next to the sources, outside the run
    sys.addaudithook(_Guard(rules))
