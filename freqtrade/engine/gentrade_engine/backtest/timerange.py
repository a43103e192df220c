# The request's timerange, in the subset of Freqtrade's --timerange syntax GenTrade
# uses: YYYYMMDD-YYYYMMDD, either side optional. Freqtrade receives the text as is.

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gentrade_engine.errors import EngineError

_TIMERANGE_RE = re.compile(r"^(\d{8})?-(\d{8})?$")


@dataclass(frozen=True)
class TimeWindow:
    """The request's timerange; either end may be open (None)."""

    text: str
    start: datetime | None
    stop: datetime | None


def _day(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)


def parse_timerange(text: Any) -> TimeWindow:
    if not isinstance(text, str) or not (match := _TIMERANGE_RE.match(text.strip())):
        raise EngineError(
            "BAD_TIMERANGE",
            f"The time range {text!r} is not valid; use YYYYMMDD-YYYYMMDD, e.g. 20240101-20240701.",
        )
    start_text, stop_text = match.groups()
    if not start_text and not stop_text:
        raise EngineError("BAD_TIMERANGE", "The time range needs at least a start or an end date.")
    try:
        start = _day(start_text) if start_text else None
        stop = _day(stop_text) if stop_text else None
    except ValueError:
        raise EngineError(
            "BAD_TIMERANGE", f"The time range '{text}' contains a date that does not exist."
        ) from None
    if start and stop and start >= stop:
        raise EngineError(
            "BAD_TIMERANGE",
            f"The time range '{text}' starts on or after its end; the start must come first.",
        )
    return TimeWindow(text.strip(), start, stop)
