# Plumbing for the escape tests (test_escapes.py, test_escapes_rootless.py): a pair of warm
# engines, one with the OS boundary alone (`--isolation os`) and one with no isolation at all
# (`--isolation off`, the control), and a strategy template whose `attack()` runs once, inside
# populate_indicators, and leaves whatever it got hold of in its own results folder.

from __future__ import annotations

import os
import unittest
import sys
import textwrap
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.support import ENGINE_DIR, backtest_request, scratch
from tests.warm_engine import WarmEngine

SECRET = f"gentrade-canary-{uuid.uuid4().hex}"

TEMPLATE = '''
import os
import sys
from freqtrade.strategy import IStrategy
from pandas import DataFrame

LOOT = {loot!r}


def loot(name, text):
    with open(os.path.join(LOOT, name), "a") as handle:
        handle.write(str(text) + "\\n")


def attack():
{body}


class Escape(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {{"0": 100.0}}
    stoploss = -0.10
    attacked = False

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        if not Escape.attacked:
            Escape.attacked = True
            try:
                attack()
            except BaseException as err:
                loot("error.txt", repr(err))
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
'''

# An ordinary-looking strategy whose indicator is minutes of big-integer arithmetic in C.
PLAIN_SPIN = """
import math

from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Spin(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 100.0}
    stoploss = -0.10

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["n"] = math.factorial(len(dataframe) * 100000) % 7
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
"""

# A shared library whose constructor proves it ran by writing the file its environment names.
NATIVE_C = r"""
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void gentrade_loaded(void) {
    const char *mark = getenv("GENTRADE_ESCAPE_MARK");
    FILE *out = mark ? fopen(mark, "w") : NULL;
    if (out) { fputs("loaded", out); fclose(out); }
}
"""



class EnginePair:
    """The "os" and "off" engines an attack runs on; `prefix` wraps their command line (to start
    them as another user), `shared` makes every test folder usable by that user."""

    def __init__(
        self, prefix: Sequence[str] = (), shared: bool = False, engine_dir: Path = ENGINE_DIR
    ) -> None:
        if not sys.platform.startswith("linux"):
            raise unittest_skip("the OS boundary exists on Linux only")
        env = {"GENTRADE_TEST_CANARY": SECRET}
        self.shared = shared
        # As in the app, the server works in the folder that holds every backtest's results.
        self.runs = self.folder("runs")
        # And it holds a descriptor open on a folder outside any run's view, as a library might.
        self.held = self.folder("held")
        (self.held / "secret.txt").write_text(SECRET, encoding="utf-8")
        (self.held / "secret.txt").chmod(0o644)
        self.held_fd = os.open(self.held, os.O_RDONLY | os.O_DIRECTORY)
        self.engines = {
            mode: WarmEngine(
                slots=2, isolation=mode, env=env, prefix=tuple(prefix), cwd=self.runs,
                pass_fds=(self.held_fd,), engine_dir=engine_dir,
            )
            for mode in ("os", "off")
        }
        sandbox = self.engines["os"].ready["sandbox"]
        if not sandbox["isolated"]:
            self.close()
            if os.geteuid() == 0:  # root can always isolate; a failed probe is a regression
                raise AssertionError(f"the engine could not isolate as root: {sandbox['reason']}")
            raise unittest_skip(f"no OS boundary on this machine: {sandbox['reason']}")

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
        os.close(self.held_fd)

    def folder(self, name: str) -> Path:
        path = scratch(f"{name}-{uuid.uuid4().hex[:8]}")
        if self.shared:
            path.chmod(0o777)
        return path

    def run(self, mode: str, body: str, results: Path | None = None) -> tuple[dict[str, Any], Path]:
        folder = self.folder(f"escape-{mode}")
        results = results or self.runs / f"{mode}-{uuid.uuid4().hex[:8]}"
        results.mkdir(parents=True, exist_ok=True)
        if self.shared:
            results.chmod(0o777)
        code = textwrap.indent(textwrap.dedent(body), "    ")
        (folder / "escape.py").write_text(TEMPLATE.format(loot=str(results), body=code), "utf-8")
        request = backtest_request(
            results,
            strategy_path=str(folder / "escape.py"),
            strategy_class="Escape",
            pairs=["BTC/USDT"],
            timerange="20240201-20240301",
        )
        return self.engines[mode].request("backtest", request, timeout=240), results


def unittest_skip(reason: str) -> Exception:
    import unittest

    return unittest.SkipTest(reason)


def looted(results: Path) -> str:
    """Everything the run left in its results folder, as text."""
    texts = [p.read_text(errors="replace") for p in results.rglob("*.txt") if p.is_file()]
    return "\n".join(texts)


class WithEngines(unittest.TestCase):
    """A test case with its own pair of engines, started once for the class."""

    pair: EnginePair

    @classmethod
    def setUpClass(cls) -> None:
        cls.pair = EnginePair()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.pair.close()
