# The backtest's stdout carries exactly one JSON line. Freqtrade prints result tables
# and progress to stdout, so file descriptor 1 is pointed at stderr for the whole run
# and the real stdout is kept aside for the final line only.

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO


def reserve_stdout() -> TextIO:
    sys.stdout.flush()
    reserved = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(reserved, "w", encoding="utf-8")


def emit(channel: TextIO, payload: dict[str, Any]) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    channel.write(json.dumps(payload) + "\n")
    channel.flush()
