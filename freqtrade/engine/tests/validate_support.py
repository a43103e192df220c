# Helpers for the validate tests: build a request against this run's small data set,
# validate through a warm engine server (one per test module: start_engine/stop_engine)
# or the one-shot `python -m gentrade_engine validate`, and read a hostile snippet's
# header (`# expect: <rule>`, `# limits: cpu=8 timeout=90`, `# marker: yes`).

from __future__ import annotations

import json
import os
import re
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import markets_file, run_engine, small_dataset
from tests.warm_engine import WarmEngine

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
    """`pipeline.run` called here: a static rejection answers without forking a child."""
    from gentrade_engine.validate.pipeline import run

    return run(validate_request(strategy, **overrides))


_engine: list[WarmEngine] = []


def start_engine() -> WarmEngine:
    """For setUpModule: the data set, then one warm server for the module's tests."""
    prepare_data()
    _engine.append(WarmEngine(slots=2))
    return _engine[-1]


def stop_engine() -> None:
    """For tearDownModule."""
    while _engine:
        _engine.pop().close()


def validate(strategy: Path, **overrides: Any) -> dict[str, Any]:
    """Through the module's warm server; request `limits` are the child's limits."""
    engine = _engine[-1]
    reply = engine.request("validate", validate_request(strategy, **overrides))
    if not reply.get("ok") or reply.get("accepted") is not True:
        reply["_stderr"] = engine.log_tail()
    return reply


def engine_request(command: str, request: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
    """Any other command (`backtest`, `diagnose`) through the module's warm server."""
    return _engine[-1].request(command, request, timeout=timeout)


def validate_cli(strategy: Path, **overrides: Any) -> dict[str, Any]:
    """The one-shot command: a fresh interpreter that forks its own sandboxed child."""
    done = run_engine("validate", stdin=json.dumps(validate_request(strategy, **overrides)))
    reply = done.single_json_line()
    reply["_stderr"] = done.stderr[-3000:]
    reply["_returncode"] = done.returncode
    return reply


def run_forked(script: Path, cwd: Path) -> int:
    """Execute `script` as __main__ in a child forked from this process (Freqtrade imported
    once, here); returns the child's wait status. For snippets that must be seen to act."""
    import freqtrade.strategy  # noqa: F401 - imported before the fork, so each child starts warm

    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.chdir(cwd)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            runpy.run_path(str(script), run_name="__main__")
            status = 0
        finally:
            os._exit(status)
    return os.waitpid(pid, 0)[1]
