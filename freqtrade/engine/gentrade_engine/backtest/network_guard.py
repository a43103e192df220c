# Makes the backtest process refuse internet access: any attempt to resolve a host
# or open an IP connection raises at once. Freqtrade and ccxt retry network errors
# with back-off, so without this an accidental call would show up as a slow run
# rather than a clear failure; with it, offline-ness is enforced, not assumed.

from __future__ import annotations

import socket
import sys
from typing import Any

_BLOCKED_LOOKUPS = frozenset(
    {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"}
)
_IP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class NetworkBlockedError(PermissionError):
    """Raised when engine code tries to reach the network."""


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _BLOCKED_LOOKUPS:
        raise NetworkBlockedError(
            f"the GenTrade engine runs offline; blocked lookup of {args[0]!r}"
        )
    if (
        event in ("socket.connect", "socket.sendto")
        and args
        and getattr(args[0], "family", None) in _IP_FAMILIES
    ):
        raise NetworkBlockedError(
            f"the GenTrade engine runs offline; blocked connection to {args[1]!r}"
        )


def block_network() -> None:
    """Install the guard for the rest of this process (audit hooks cannot be removed)."""
    sys.addaudithook(_hook)
