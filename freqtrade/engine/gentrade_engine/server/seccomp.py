# A seccomp filter for a run of strategy code, built by hand as classic BPF (no libseccomp needed):
# no new processes (fork, vfork, clone without CLONE_THREAD; clone3 answers ENOSYS so glibc falls
# back to clone for threads), no exec, no sockets but AF_UNIX pairs (asyncio's self-pipe), no
# memory outside the address-space limit (memfd, SysV shared memory), no typing into a terminal
# (TIOCSTI), and none of the calls that reach other processes or the kernel's own state (ptrace,
# mount, namespaces, modules, bpf, perf, io_uring, keyrings, clocks, leaving the process group). Everything else a
# backtest does (files, memory, threads, signals to itself) is allowed: the namespaces and the
# unprivileged uid decide what those reach.

from __future__ import annotations

import ctypes
import errno
import platform
import struct

from gentrade_engine.server import syscalls

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

# name: (x86_64, aarch64); None where the architecture lacks the call.
_DENIED: dict[str, tuple[int | None, int | None]] = {
    "fork": (57, None),
    "vfork": (58, None),
    "execve": (59, 221),
    "execveat": (322, 281),
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "kcmp": (312, 272),
    "pidfd_open": (434, 434),
    "pidfd_getfd": (438, 438),
    "pidfd_send_signal": (424, 424),
    "setsid": (112, 157),
    "setpgid": (109, 154),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "unshare": (272, 97),
    "setns": (308, 268),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "acct": (163, 89),
    "quotactl": (179, 60),
    "syslog": (103, 116),
    "settimeofday": (164, 170),
    "clock_settime": (227, 112),
    "clock_adjtime": (305, 266),
    "adjtimex": (159, 171),
    "iopl": (172, None),
    "ioperm": (173, None),
    "uselib": (134, None),
    "vhangup": (153, 58),
    # Memory RLIMIT_AS does not count (and an anonymous file native code could be loaded from).
    "memfd_create": (319, 279),
    "memfd_secret": (447, 447),
    "shmget": (29, 194),
    "shmat": (30, 196),
}
_CLONE = (56, 220)
_CLONE3 = (435, 435)
_SOCKET = (41, 198)
_SOCKETPAIR = (53, 199)
_IOCTL = (16, 29)
# Typing into a terminal the run shares (CVE-2017-5226's class) and the Linux console's ioctls.
_TIOCSTI = 0x5412
_TIOCLINUX = 0x541C

_CLONE_THREAD = 0x00010000
_AF_UNIX = 1
_X32_BIT = 0x40000000

_LD_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35
_JSET = 0x45
_RET = 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_ERRNO = 0x00050000

# Offsets in struct seccomp_data (little endian: an argument's low word).
_NR, _ARCH, _ARG0, _ARG1 = 0, 4, 16, 24

Insn = tuple[int, int | str, int | str, int]


def _program(arch: str) -> list[Insn]:
    column = 0 if arch == "x86_64" else 1
    prog: list[Insn] = [(_LD_ABS, 0, 0, _ARCH), (_JEQ, 0, "kill", _AUDIT_ARCH[arch])]
    prog.append((_LD_ABS, 0, 0, _NR))
    if arch == "x86_64":
        prog.append((_JGE, "deny", 0, _X32_BIT))  # the x32 ABI: none of a backtest's business
    for numbers in _DENIED.values():
        number = numbers[column]
        if number is not None:
            prog.append((_JEQ, "deny", 0, number))
    prog += [
        (_JEQ, "clone", 0, _CLONE[column]),
        (_JEQ, "enosys", 0, _CLONE3[column]),
        (_JEQ, "socket", 0, _SOCKET[column]),
        (_JEQ, "socket", 0, _SOCKETPAIR[column]),
        (_JEQ, "ioctl", 0, _IOCTL[column]),
        (_RET, 0, 0, _ALLOW),
    ]
    labels = {
        "clone": [(_LD_ABS, 0, 0, _ARG0), (_JSET, "allow", "deny", _CLONE_THREAD)],
        "socket": [(_LD_ABS, 0, 0, _ARG0), (_JEQ, "allow", "deny", _AF_UNIX)],
        "ioctl": [
            (_LD_ABS, 0, 0, _ARG1),
            (_JEQ, "deny", 0, _TIOCSTI),
            (_JEQ, "deny", "allow", _TIOCLINUX),
        ],
        "allow": [(_RET, 0, 0, _ALLOW)],
        "deny": [(_RET, 0, 0, _ERRNO | errno.EPERM)],
        "enosys": [(_RET, 0, 0, _ERRNO | errno.ENOSYS)],
        "kill": [(_RET, 0, 0, _KILL_PROCESS)],
    }
    where: dict[str, int] = {}
    for label, body in labels.items():
        where[label] = len(prog)
        prog += body

    def offset(index: int, target: int | str) -> int:
        return target if isinstance(target, int) else where[target] - index - 1

    return [(code, offset(i, jt), offset(i, jf), k) for i, (code, jt, jf, k) in enumerate(prog)]


def supported() -> bool:
    return platform.machine() in _AUDIT_ARCH


def install() -> None:
    """Load the filter into this thread (a forked child has no others); needs no_new_privs set."""
    arch = platform.machine()
    if arch not in _AUDIT_ARCH:
        raise syscalls.SyscallError(0, f"seccomp: no filter for architecture {arch}")
    insns = _program(arch)
    raw = b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in insns)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class _Fprog(ctypes.Structure):
        _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))

    fprog = _Fprog(len(insns), ctypes.cast(buffer, ctypes.c_void_p))
    syscalls.prctl(
        syscalls.PR_SET_SECCOMP,
        syscalls.SECCOMP_MODE_FILTER,
        ctypes.cast(ctypes.byref(fprog), ctypes.c_void_p),
    )
