# `python -m gentrade_engine validate`: the request on stdin, one JSON line on stdout;
# exit 0 when the pipeline ran (accepted or not), 1 on an engine-level failure.

from __future__ import annotations

import json
import sys

from gentrade_engine.validate.pipeline import run


def main() -> int:
    reply = run(sys.stdin.read())
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0 if reply.get("ok") else 1
