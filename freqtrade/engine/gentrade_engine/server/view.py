# The filesystem a run of strategy code sees: a read-only tmpfs root holding only what Python and
# Freqtrade need, each at its own path (the system's /usr, the Python installation, the venv, our
# engine's source, a few files of /etc, the request's strategy, market data and markets snapshot),
# plus two writable places: its working folder (a fresh size-capped tmpfs, gone with the run) and
# its own results folder. Nothing else exists in it: not the app's data folder, the rest of the
# bootstrap cache, the user's home, other runs' folders or other processes' /proc entries.

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

# System folders every Python program needs; on merged-/usr systems all but /usr are symlinks.
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# What of /etc the dynamic loader, time zones and locale lookups read; nothing secret.
_ETC = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
)
_DEVICES = ("null", "zero", "full", "random", "urandom")


@dataclass(frozen=True)
class Bind:
    """`source` (a real path on the machine) appears at `target` in the run's view."""

    source: str
    target: str
    writable: bool = False


@dataclass(frozen=True)
class View:
    binds: tuple[Bind, ...]
    # Symlinks of the root (e.g. /lib -> usr/lib) recreated as they are.
    links: tuple[tuple[str, str], ...]
    devices: tuple[str, ...]
    workdir: str


def _covered(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _runtime_paths(engine_dir: str | None) -> list[str]:
    """Where the interpreter, its libraries and our engine live (the server already imported
    most of them; the rest load lazily, so they must stay readable). Not sys.path itself:
    `python -m` puts the server's working folder there, which is the app's results root."""
    found = [sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable)]
    if engine_dir:
        found.append(engine_dir)
    return found


def _system() -> tuple[list[str], list[tuple[str, str]]]:
    dirs, links = [], []
    for path in _SYSTEM:
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
        elif os.path.isdir(path):
            dirs.append(path)
    return dirs, links


def _add(binds: list[Bind], path: str, writable: bool = False) -> None:
    """Bind the real file or folder at `path`, and at the path as given when that is a symlink."""
    if not os.path.exists(path):
        return
    real = os.path.realpath(path)
    targets = [real] if real == os.path.abspath(path) else [real, os.path.abspath(path)]
    for target in targets:
        binds.append(Bind(real, target, writable))


def build(
    workdir: Path,
    results_dir: Path | None,
    inputs: tuple[Path, ...],
    engine_dir: str | None = None,
) -> View:
    """The view for one run; `inputs` are the request's strategy, data and markets paths."""
    system_dirs, links = _system()
    binds: list[Bind] = []
    for path in system_dirs + list(_ETC):
        _add(binds, path)
    ro_roots = [b.target for b in binds]
    for path in _runtime_paths(engine_dir):
        if not _covered(os.path.realpath(path), ro_roots):
            _add(binds, path)
            ro_roots.append(os.path.realpath(path))
    for path in inputs:
        _add(binds, str(path))
    if results_dir is not None:
        _add(binds, str(results_dir), writable=True)
    # Parents before children, so a bind inside another lands on top of it.
    ordered = sorted(dict.fromkeys(binds), key=lambda b: (b.target.count("/"), b.target))
    return View(tuple(ordered), tuple(links), _DEVICES, os.path.realpath(workdir))
