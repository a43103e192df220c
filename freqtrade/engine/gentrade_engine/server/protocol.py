# The server's wire format, parsed once at the edge: one JSON object per stdin line
# (`{"id", "command", "request", "limits"}`), one JSON object per stdout line carrying the same id.

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from gentrade_engine.server.sandbox import Limits

COMMANDS = frozenset({"backtest", "hyperopt", "validate", "diagnose", "ping", "cancel"})
_LIMIT_FIELDS = ("cpu_seconds", "memory_mb", "timeout_seconds")


@dataclass(frozen=True)
class Envelope:
    id: str
    command: str
    request: dict[str, Any]
    limits: Limits | None  # None: the command's own defaults (see dispatch.limits_for)


class ProtocolError(Exception):
    """A line that is not a usable request; `id` is echoed when it could be read."""

    def __init__(self, message: str, request_id: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id


def _positive(raw: dict[str, Any], key: str, request_id: str) -> float:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(f"The limit '{key}' must be a number.", request_id)
    if value <= 0:
        raise ProtocolError(f"The limit '{key}' must be above zero.", request_id)
    return float(value)


def _limits(raw: Any, request_id: str) -> Limits | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ProtocolError("'limits' must be an object.", request_id)
    unknown = sorted(set(raw) - set(_LIMIT_FIELDS))
    if unknown:
        raise ProtocolError(f"Unknown limits: {', '.join(unknown)}.", request_id)
    base = Limits()
    return Limits(
        cpu_seconds=max(1, math.ceil(_positive(raw, "cpu_seconds", request_id)))
        if "cpu_seconds" in raw
        else base.cpu_seconds,
        memory_mb=max(64, math.ceil(_positive(raw, "memory_mb", request_id)))
        if "memory_mb" in raw
        else base.memory_mb,
        timeout_seconds=_positive(raw, "timeout_seconds", request_id)
        if "timeout_seconds" in raw
        else base.timeout_seconds,
    )


def parse_line(line: str) -> Envelope:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as err:
        raise ProtocolError(f"The request line is not JSON ({err.msg}).", None) from None
    if not isinstance(raw, dict):
        raise ProtocolError("The request line must be a JSON object.", None)
    request_id = raw.get("id")
    if not isinstance(request_id, str) or not request_id:
        raise ProtocolError("The request needs a non-empty string 'id'.", None)
    unknown = sorted(set(raw) - {"id", "command", "request", "limits"})
    if unknown:
        raise ProtocolError(f"Unknown request fields: {', '.join(unknown)}.", request_id)
    command = raw.get("command")
    if command not in COMMANDS:
        known = ", ".join(sorted(COMMANDS))
        raise ProtocolError(f"Unknown command {command!r}; use one of {known}.", request_id)
    request = raw.get("request", {})
    if not isinstance(request, dict):
        raise ProtocolError("'request' must be a JSON object.", request_id)
    return Envelope(request_id, command, request, _limits(raw.get("limits"), request_id))


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":")) + "\n"
