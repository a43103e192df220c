# One rejection found by the static policy: the rule it broke, the line, and a
# sentence that names the offending thing, so a trader can find and fix it.

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Violation:
    line: int
    rule: str
    message: str

    def to_dict(self, stage: str = "static") -> dict[str, Any]:
        return {"stage": stage, "rule": self.rule, "line": self.line, "message": self.message}
