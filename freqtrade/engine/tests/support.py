# Shared test plumbing: runs the engine CLI as a subprocess (the way the TypeScript
# worker does) and generates one small synthetic data set per test run.

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ENGINE_DIR = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A short range keeps generation well under a second.
DATA_START = "2024-01-01"
DATA_END = "2024-03-31"
_SCRATCH = tempfile.TemporaryDirectory(prefix="gentrade-engine-tests-")


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str

    def single_json_line(self) -> dict[str, Any]:
        """The one reply line, last on stdout; only progress events may come before it."""
        lines = self.stdout.splitlines()
        if not lines or len(self.progress()) != len(lines) - 1:
            raise AssertionError(f"expected progress, then one reply, got {lines!r}\nstderr:\n{self.stderr}")
        reply: dict[str, Any] = json.loads(lines[-1])
        return reply

    def progress(self) -> list[dict[str, Any]]:
        """The progress events before the reply (a backtest's phases), in order."""
        events = []
        for line in self.stdout.splitlines()[:-1]:
            event = json.loads(line)
            if isinstance(event, dict) and event.get("event") == "progress":
                events.append(event)
        return events


def scratch(name: str) -> Path:
    """A fresh directory under this test run's temporary root."""
    path = Path(_SCRATCH.name) / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def run_engine(*args: str, stdin: str = "", prefix: tuple[str, ...] = ()) -> Completed:
    env = {**os.environ, "PYTHONPATH": str(ENGINE_DIR)}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "gentrade_engine", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ENGINE_DIR,
        timeout=300,
        check=False,
    )
    return Completed(done.returncode, done.stdout, done.stderr)


@cache
def small_dataset() -> Path:
    out = Path(_SCRATCH.name) / "data"
    done = run_engine("gen-data", "--out", str(out), "--start", DATA_START, "--end", DATA_END)
    if done.returncode != 0:
        raise RuntimeError(f"gen-data failed:\n{done.stderr}")
    return out


@cache
def markets_file() -> Path:
    out = Path(_SCRATCH.name) / "markets.json"
    done = run_engine("gen-markets", "--out", str(out))
    if done.returncode != 0:
        raise RuntimeError(f"gen-markets failed:\n{done.stderr}")
    return out


def backtest_request(results_dir: Path, **overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "strategy_path": str(FIXTURES / "sma_cross.py"),
        "strategy_class": "SmaCross",
        "timeframe": "1h",
        "pairs": ["BTC/USDT", "ETH/USDT"],
        "timerange": "20240115-20240330",
        "datadir": str(small_dataset()),
        "markets_path": str(markets_file()),
        "results_dir": str(results_dir),
        "stake_currency": "USDT",
        "starting_balance": 1000,
        "stake_amount": "unlimited",
        "max_open_trades": 3,
        "fee": 0.001,
    }
    request.update(overrides)
    return request


def hyperopt_request(results_dir: Path, **overrides: Any) -> dict[str, Any]:
    """A search of the tunable SMA fixture's buy and sell spaces, with a test part after the training."""
    request = backtest_request(
        results_dir,
        strategy_path=str(FIXTURES / "sma_tunable.py"),
        strategy_class="SmaTunable",
        pairs=["BTC/USDT"],
        timerange="20240115-20240310",
        epochs=3,
        loss="profit",
        spaces=["buy", "sell"],
        random_state=42,
        test_timerange="20240310-20240330",
    )
    request.update(overrides)
    return request


def network_namespace_available() -> bool:
    """True when `unshare -n` can run a command without any network interface."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return probe.returncode == 0
