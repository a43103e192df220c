# Helpers for the validate tests: build a request against this run's small data set,
# run `python -m gentrade_engine validate`, and read a hostile snippet's header
# (`# expect: <rule>`, `# limits: cpu=8 timeout=90`, `# marker: yes`).

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import markets_file, run_engine, small_dataset

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "hostile"
STRATEGIES = TESTS / "strategies"
GOLDEN = TESTS.parents[2] / "test" / "fixtures" / "golden"
MARKER_PLACEHOLDER = b"MARKER_PATH"
RUNTIME_RULES = frozenset({"cpu-limit", "memory-limit", "timeout"})
_EXPECT_RE = re.compile(rb"^# expect: ([a-z0-9-]+)$", re.M)
_LIMITS_RE = re.compile(rb"^# limits: (.+)$", re.M)
_LIMIT_NAMES = {"cpu": "cpu_seconds", "memory": "memory_mb", "timeout": "timeout_seconds"}


@dataclass(frozen=True)
class Snippet:
    path: Path
    rule: str
    limits: dict[str, int]
    writes_marker: bool

    def staged(self, folder: Path, marker: Path) -> Path:
        """A copy whose marker placeholder points into the test's own folder."""
        target = folder / self.path.name
        target.write_bytes(self.path.read_bytes().replace(MARKER_PLACEHOLDER, str(marker).encode()))
        return target


def hostile_snippets() -> list[Snippet]:
    snippets = []
    for path in sorted(HOSTILE.glob("*.py")):
        data = path.read_bytes()
        expect = _EXPECT_RE.search(data)
        if expect is None:
            raise AssertionError(f"{path.name} has no '# expect: <rule>' header")
        limits: dict[str, int] = {}
        if found := _LIMITS_RE.search(data):
            for item in found.group(1).decode().split():
                key, value = item.split("=")
                limits[_LIMIT_NAMES[key]] = int(value)
        snippets.append(Snippet(path, expect.group(1).decode(), limits, b"# marker: yes" in data))
    return snippets


def validate_request(strategy: Path, **overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "strategy_path": str(strategy),
        "datadir": str(small_dataset()),
        "markets_path": str(markets_file()),
        "pairs": ["BTC/USDT"],
        "smoke": True,
    }
    request.update(overrides)
    return request


def prepare_data() -> None:
    """Generate the shared data set once, before tests fan out over threads."""
    small_dataset()
    markets_file()


def validate_in_process(strategy: Path, **overrides: Any) -> dict[str, Any]:
    """The pipeline as the warm server calls it (static stage in this process)."""
    from gentrade_engine.validate.pipeline import run

    return run(validate_request(strategy, **overrides))


def validate(strategy: Path, **overrides: Any) -> dict[str, Any]:
    done = run_engine("validate", stdin=json.dumps(validate_request(strategy, **overrides)))
    reply = done.single_json_line()
    reply["_stderr"] = done.stderr[-3000:]
    reply["_returncode"] = done.returncode
    return reply
