# Coded engine errors: every failure a trader can cause maps to one code and one
# plain sentence, so the TypeScript side can show it without reading tracebacks.

from __future__ import annotations

from typing import Literal

ErrorCode = Literal[
    "STRATEGY_LOAD",
    "NO_DATA",
    "UNKNOWN_PAIR",
    "BAD_TIMERANGE",
    "BAD_REQUEST",
    "ENGINE",
]


class EngineError(Exception):
    """A failure with a stable code and a one-sentence message for a trader."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
