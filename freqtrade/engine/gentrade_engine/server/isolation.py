# The operating-system boundary around one run of strategy code, set up in the forked child of the
# warm server (no new Python per run): new mount, PID, network, IPC, UTS and cgroup namespaces (and
# a user namespace when the engine is not root), a filesystem view holding only what the run needs
# (view.py), an unprivileged uid of its own when the engine runs as root, no capabilities,
# no_new_privs and a seccomp filter (seccomp.py).
#
# A new PID namespace only applies to children, so the forked child splits once more: it stays
# outside as a small waiter (what the server watches, kills and reaps) while its own child, PID 1
# of the new namespace, builds the view and runs the request. Whatever the run is killed with, the
# waiter dies the same way, so the server reads the same exit status as before. (PID 1 of a
# namespace ignores signals it has no handler for, SIGXCPU included, so a run past its CPU time
# ends by the hard limit's SIGKILL two seconds later.)

from __future__ import annotations

import contextlib
import os
import signal
import stat
from pathlib import Path

from gentrade_engine.server import results_dir, seccomp, syscalls
from gentrade_engine.server.view import View

# Each run as root gets a uid of its own, from a range no real account uses: its files, processes
# and limits are its own, and it can signal or trace nothing else.
_RUN_UID_BASE = 0x7F000000
# The working folder is a tmpfs: what a run writes there is capped and vanishes with it.
_WORKDIR_SIZE = "256m"
_ROOT_SIZE = "16m"
_ST_TO_MS = (
    (os.ST_RDONLY, syscalls.MS_RDONLY),
    (os.ST_NOSUID, syscalls.MS_NOSUID),
    (os.ST_NODEV, syscalls.MS_NODEV),
    (os.ST_NOEXEC, syscalls.MS_NOEXEC),
    (os.ST_NOATIME, syscalls.MS_NOATIME),
    (os.ST_NODIRATIME, syscalls.MS_NODIRATIME),
    (os.ST_RELATIME, syscalls.MS_RELATIME),
)
_NAMESPACES = (
    syscalls.CLONE_NEWNS
    | syscalls.CLONE_NEWPID
    | syscalls.CLONE_NEWNET
    | syscalls.CLONE_NEWIPC
    | syscalls.CLONE_NEWUTS
    | syscalls.CLONE_NEWCGROUP
)


def rootless() -> bool:
    return os.geteuid() != 0


def run_uid(waiter_pid: int) -> int:
    """The uid a run takes: its own when the engine is root, from its waiter's pid (unique among
    live processes; inside the new PID namespace the run itself is always PID 1)."""
    return _RUN_UID_BASE + waiter_pid if not rootless() else os.getuid()


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def split(reply_fds: tuple[int, ...]) -> int:
    """Enter new namespaces and fork; only the child (PID 1 inside) returns. The waiter closes
    `reply_fds` (the run answers on them, not the waiter) and mirrors its child's end: the same
    exit code, or death by the same signal. Returns the waiter's pid."""
    uid, gid = os.getuid(), os.getgid()
    syscalls.unshare(_NAMESPACES | (syscalls.CLONE_NEWUSER if rootless() else 0))
    if rootless():
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    waiter = os.getpid()
    pid = os.fork()
    if pid == 0:
        return waiter
    for fd in reply_fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        with contextlib.suppress(OSError, ValueError):  # SIGKILL has no handler to reset
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _locked_flags(path: str) -> int:
    """The mount flags a bind must keep (a user namespace may not clear them)."""
    flags = os.statvfs(path).f_flag
    return sum(ms for st, ms in _ST_TO_MS if flags & st)


def _bind(root: str, source: str, target: str, writable: bool) -> None:
    inside = root + target
    if not os.path.exists(inside):
        os.makedirs(os.path.dirname(inside), exist_ok=True)
        if stat.S_ISDIR(os.stat(source).st_mode):
            os.mkdir(inside)
        else:
            os.close(os.open(inside, os.O_CREAT | os.O_WRONLY, 0o644))
    syscalls.mount(source, inside, None, syscalls.MS_BIND | syscalls.MS_REC)
    flags = syscalls.MS_REMOUNT | syscalls.MS_BIND | syscalls.MS_NOSUID | _locked_flags(source)
    if writable:
        flags |= syscalls.MS_NOEXEC | syscalls.MS_NODEV
    else:
        flags |= syscalls.MS_RDONLY
    syscalls.mount(None, inside, None, flags)


def _devices(root: str, devices: tuple[str, ...]) -> None:
    os.makedirs(f"{root}/dev", exist_ok=True)
    for name in devices:
        if os.path.exists(f"/dev/{name}"):
            _bind(root, f"/dev/{name}", f"/dev/{name}", writable=False)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0")):
        os.symlink(target, f"{root}/dev/{name}")
    os.symlink("/proc/self/fd/1", f"{root}/dev/stdout")
    os.symlink("/proc/self/fd/2", f"{root}/dev/stderr")


def build_root(view: View, uid: int, gid: int) -> None:
    """Replace this process's filesystem with `view` (PID 1 of the new namespaces only)."""
    syscalls.mount(None, "/", None, syscalls.MS_REC | syscalls.MS_PRIVATE)
    root = os.path.join(view.workdir, ".view")
    os.makedirs(root, exist_ok=True)
    syscalls.mount("tmpfs", root, "tmpfs", syscalls.MS_NOSUID | syscalls.MS_NODEV, f"size={_ROOT_SIZE},mode=755")
    for bind in view.binds:
        _bind(root, bind.source, bind.target, bind.writable)
        if bind.writable and not rootless():
            results_dir.sanitize(Path(bind.source), uid, gid)
    for path, target in view.links:
        os.symlink(target, root + path)
    _devices(root, view.devices)
    os.makedirs(f"{root}/proc")
    proc_flags = syscalls.MS_NOSUID | syscalls.MS_NODEV | syscalls.MS_NOEXEC
    syscalls.mount("proc", f"{root}/proc", "proc", proc_flags)
    os.makedirs(root + view.workdir, exist_ok=True)
    work_flags = syscalls.MS_NOSUID | syscalls.MS_NODEV | syscalls.MS_NOEXEC
    syscalls.mount(
        "tmpfs", root + view.workdir, "tmpfs", work_flags, f"size={_WORKDIR_SIZE},mode=700,uid={uid},gid={gid}"
    )
    os.makedirs(f"{root}/tmp", mode=0o755, exist_ok=True)
    os.chdir(root)
    syscalls.pivot_root(".", ".")
    syscalls.umount(".")  # the old root, stacked under the new one by pivot_root(".", ".")
    os.chdir("/")
    ro = syscalls.MS_REMOUNT | syscalls.MS_BIND | syscalls.MS_RDONLY | syscalls.MS_NOSUID | syscalls.MS_NODEV
    syscalls.mount(None, "/", None, ro)
    os.chdir(view.workdir)


def drop_privileges(uid: int, gid: int) -> None:
    """Become the run's unprivileged uid (as root) or give up the user namespace's capabilities;
    then no_new_privs, which also lets the seccomp filter load."""
    if rootless():
        syscalls.drop_capabilities()
    else:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    syscalls.prctl(syscalls.PR_SET_NO_NEW_PRIVS, 1)
    # Not dumpable: its own /proc entries (environ, mem, maps) belong to root, not to the run. A
    # forked run's environ still shows the server's start-up environment, which is only ever the
    # handful of variables client/process.ts passes; the uid switch does the same as root.
    syscalls.prctl(syscalls.PR_SET_DUMPABLE, 0)
    # Changing credentials clears the parent-death signal; the waiter is this run's parent now.
    syscalls.prctl(syscalls.PR_SET_PDEATHSIG, signal.SIGKILL)
    seccomp.install()


def close_inherited(keep: tuple[int, ...]) -> None:
    """Close every descriptor but stdin, stdout, stderr and `keep`. One the server held open on a
    folder outside the view would be a way around it (`openat` and /proc/self/fd/N both follow
    it wherever it points), so none survives into the run."""
    kept = {0, 1, 2, *keep}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in kept:
            with contextlib.suppress(OSError):  # the listing's own descriptor is already gone
                os.close(fd)


def enter(view: View, reply_fds: tuple[int, ...]) -> tuple[int, int]:
    """Namespaces and the view, for a freshly forked child; returns, in the isolated grandchild,
    the uid and gid the run is to take (drop_privileges, once its limits are set)."""
    waiter = split(reply_fds)
    uid = run_uid(waiter)
    gid = uid if not rootless() else os.getgid()
    build_root(view, uid, gid)
    close_inherited(reply_fds)
    return uid, gid
