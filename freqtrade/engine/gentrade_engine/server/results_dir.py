# After a run, its results folder is the one place on the machine strategy code could write to,
# so the engine (trusted, the run dead by then) makes it plain before anyone reads it: links,
# FIFOs, sockets and device files are removed, set-id bits dropped, modes made ordinary, and
# everything handed back to the engine's own uid, so nothing the run left can be followed,
# block a reader, run with its rights or be changed by a later run. Before a run, the same walk
# hands the folder to the run's uid.

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def _plain(path: str, chown: bool, uid: int, gid: int) -> None:
    info = os.lstat(path)
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        os.unlink(path)
        return
    if info.st_uid == os.geteuid() or chown:  # a folder the caller made stays as it is
        os.chmod(path, 0o755 if stat.S_ISDIR(info.st_mode) else 0o644)
    if chown:
        os.lchown(path, uid, gid)


def sanitize(folder: Path, uid: int | None = None, gid: int | None = None) -> None:
    """Make `folder` and what is in it plain files and folders owned by `uid` (the engine's own
    by default; as root the engine also hands a run's folder to the run's uid this way)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    chown = os.geteuid() == 0
    uid = os.getuid() if uid is None else uid
    gid = os.getgid() if gid is None else gid
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            with contextlib.suppress(FileNotFoundError):
                _plain(os.path.join(root, name), chown, uid, gid)
    _plain(str(folder), chown, uid, gid)
