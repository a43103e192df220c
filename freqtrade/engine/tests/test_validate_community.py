# validate + backtest: strategies written the way community strategies are (our own files in
# tests/strategies/community_*.py) pass every stage and then backtest with trades on the sample
# data through the same warm engine the bot uses. Settings a strategy leaves to the config are
# filled in the same way in the verdict (said in its notes) and in the backtest. Also the shapes
# of community code the static stage must let through, and the sentences for what it refuses.

from __future__ import annotations

import json
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gentrade_engine.policy import check_source
from tests.support import backtest_request, scratch
from tests.validate_support import (
    STRATEGIES,
    engine_request,
    start_engine,
    stop_engine,
    validate,
)

# file -> (class, notes expected: a phrase each)
COMMUNITY: dict[str, tuple[str, list[str]]] = {
    "community_qtpylib_bands.py": ("QtpylibBandsCross", []),
    "community_technical_ichimoku.py": ("TechnicalIchimoku", []),
    "community_ta_libraries.py": ("TaLibraries", []),
    "community_legacy_v2.py": ("LegacyMacdV2", ["no minimal_roi", "interface version 2"]),
    "community_config_settings.py": (
        "ConfigSettingsLeftOut",
        ["no timeframe; GenTrade used 5m", "no minimal_roi", "no stoploss; GenTrade used -10%"],
    ),
}

# Lines of community files the static stage must accept, at the top of the file or in a method.
TOP_LINES = [
    '__author__ = "someone"\n__version__ = "1.0"\n__copyright__ = "x"\n__license__ = "MIT"',
    'warnings.filterwarnings("ignore", category=FutureWarning)',
    "pd.options.mode.chained_assignment = None",
    'pd.set_option("display.max_columns", None)',
    "from technical import qtpylib\nimport technical.indicators as ftt",
    "import freqtrade.vendor.qtpylib.indicators as qtpylib",
    "from scipy.signal import argrelextrema\nimport scipy.stats as st",
    "import pandas_ta as pta\nimport ta\nfrom ta.trend import MACD",
    "import time, json, re, random, copy\nfrom cachetools import TTLCache",
    "from freqtrade.persistence import Trade, Order\n"
    "from freqtrade.exchange import timeframe_to_minutes",
    'if __name__ == "__main__":\n    pass',
    "import os  # a leftover nobody uses\nfrom numpy.lib import math",
    'print("Add AgeFilter to your pairlists")\n__BTC_donation__ = "bc1..."',
]
METHOD_LINES = [
    "self._cache[metadata['pair']] = self._helper(dataframe)",
    'pattern = getattr(ta, "CDL" + side)(dataframe); x = np.NaN',
    'value = getattr(self, "buy_" + side).value + getattr(self, name).value',
    'dataframe[f"ema_{n}"] = dataframe["close"].ewm(span=n).mean()',
    'logger.info("%s ready", self.__class__.__name__)',
    "dataframe['hl2'] = (dataframe.high + dataframe.low + dataframe.open) / 3",
    'pattern = re.compile(r"\\d+"); text = json.dumps({"a": 1})',
]
_TEMPLATE = """import json
import logging
import re
import warnings

import numpy as np
import pandas as pd
import talib.abstract as ta
from freqtrade.strategy import IntParameter, IStrategy

{top}

logger = logging.getLogger(__name__)


class Community(IStrategy):
    timeframe = "1h"
    fast, slow = 12, 26
    startup_candle_count = max(fast, slow) * 3
    \"\"\" Buy hyperspace params: \"\"\"
    buy_params = {{"buy_rsi": 30}}
    buy_rsi = IntParameter(10, 40, default=buy_params.get("buy_rsi", 30), space="buy")
    _cache: dict = {{}}

    def __init__(self, config: dict) -> None:
        super(Community, self).__init__(config)
        self._last = None

    def _helper(self, dataframe):
        return len(dataframe)

    def populate_indicators(self, dataframe, metadata):
        side, name, n = "rsi", "buy_rsi", 20
        {line}
        return dataframe
"""
# Obvious intent the static stage still refuses: (code in a method, rule, phrase of the sentence)
REFUSED = [
    ("from freqtrade.persistence import init_db", "database-access", "opens a database"),
    ("Trade.session.execute('ATTACH')", "database-access", "raw database session"),
    ("dataframe.execute('x')", "database-access", "raw SQL"),
    ("import sklearn", "not-shipped", "'sklearn', which GenTrade does not ship"),
    ("import os; os.listdir('.')", "forbidden-import", "reads and writes files"),
    ("import socket; socket.socket()", "forbidden-import", "network connections"),
    ("from technical.tradingview import x", "not-shipped", "the technical GenTrade ships"),
    ("open('x.csv', 'w')", "forbidden-name", "writes a file"),
    ("getattr(dataframe, name)", "dynamic-attribute", "written in the call"),
    ('getattr(self, "__cl" + "ass__")', "dynamic-attribute", "'__'"),
]


def setUpModule() -> None:
    start_engine()


def tearDownModule() -> None:
    stop_engine()


def _source(top: str = "", line: str = "pass") -> str:
    return _TEMPLATE.format(top=top, line=line)


def _backtest(path: Path, cls: str, timeframe: str) -> tuple[dict[str, Any], Path]:
    results = scratch(f"community-bt-{path.stem}")
    request = backtest_request(
        results, strategy_path=str(path), strategy_class=cls, timeframe=timeframe
    )
    return engine_request("backtest", request, timeout=240), results


class CommunityStrategiesTest(unittest.TestCase):
    def test_community_shapes_pass_the_static_stage(self) -> None:
        for top in TOP_LINES:
            with self.subTest(top=top):
                self.assertEqual(check_source(_source(top=top)), [])
        for line in METHOD_LINES:
            with self.subTest(line=line):
                self.assertEqual(check_source(_source(line=line)), [])

    def test_obvious_intent_is_refused_with_a_sentence(self) -> None:
        for code, rule, phrase in REFUSED:
            with self.subTest(code=code):
                source = _source(top="from freqtrade.persistence import Trade", line=code)
                found = [v for v in check_source(source) if v.rule == rule]
                self.assertTrue(any(phrase in v.message for v in found), found)
                self.assertTrue(all(v.line > 1 for v in found), found)

    def test_community_strategies_are_accepted_then_backtest_with_trades(self) -> None:
        paths = [STRATEGIES / name for name in COMMUNITY]
        # Two at a time: the server has two slots, the machine two cores.
        with ThreadPoolExecutor(max_workers=2) as pool:
            verdicts = list(pool.map(validate, paths))
            runs = list(
                pool.map(
                    lambda pv: _backtest(pv[0], COMMUNITY[pv[0].name][0], pv[1]["timeframe"]),
                    zip(paths, verdicts, strict=True),
                )
            )
        for path, verdict, (reply, results) in zip(paths, verdicts, runs, strict=True):
            cls, phrases = COMMUNITY[path.name]
            with self.subTest(strategy=path.name):
                self.assertTrue(verdict.get("accepted"), verdict)
                self.assertEqual(verdict["class"], cls)
                stages = [s["stage"] for s in verdict["stages"]]
                self.assertEqual(stages[:3], ["static", "load", "smoke"], verdict)
                self.assertGreaterEqual(verdict["smoke"]["trades"], 1, verdict)
                notes = verdict.get("notes", [])
                self.assertEqual(len(notes), len(phrases), notes)
                for phrase in phrases:
                    self.assertTrue(any(phrase in note for note in notes), (phrase, notes))
                self.assertTrue(reply["ok"], reply)
                self.assertGreaterEqual(reply["trades"], 1, reply)
                stats = json.loads((results / "result.json").read_text())["strategy"][cls]
                self.assertEqual(stats["timeframe"], verdict["timeframe"])

    def test_what_freqtrade_itself_refuses_is_a_sentence(self) -> None:
        # A class header Python accepts and Freqtrade's text search would miss loads; a hyperopt
        # parameter with no space and an informative timeframe with no candles are refusals with
        # Freqtrade's own words, never engine errors.
        base = (STRATEGIES / "community_qtpylib_bands.py").read_text(encoding="utf-8")
        header = "class QtpylibBandsCross(IStrategy):\n"
        self.assertIn(header, base)
        spaced = base.replace(header, "class QtpylibBandsCross (IStrategy):\n")
        no_space = base.replace(header, header + "    max_slip = IntParameter(1, 5, default=2)\n")
        if "IntParameter" not in base.split(header)[0]:
            no_space = "from freqtrade.strategy import IntParameter\n" + no_space
        folder = scratch("freqtrade-refusals")
        cases = {"spaced.py": spaced, "no_space.py": no_space}
        for name, source in cases.items():
            (folder / name).write_text(source, encoding="utf-8")
        verdicts = {name: validate(folder / name) for name in cases}
        self.assertTrue(verdicts["spaced.py"].get("accepted"), verdicts["spaced.py"])
        refused = verdicts["no_space.py"]
        self.assertEqual(refused.get("accepted"), False, refused)
        self.assertEqual(refused["violations"][0]["rule"], "freqtrade-refused", refused)
        self.assertIn("parameter space for max_slip", refused["violations"][0]["message"])

    def test_backtest_uses_the_defaults_the_verdict_named(self) -> None:
        path = STRATEGIES / "community_config_settings.py"
        reply, results = _backtest(path, "ConfigSettingsLeftOut", "5m")
        self.assertTrue(reply["ok"], reply)
        stats = json.loads((results / "result.json").read_text())["strategy"][
            "ConfigSettingsLeftOut"
        ]
        self.assertEqual(stats["stoploss"], -0.10)
        self.assertEqual({str(k): v for k, v in stats["minimal_roi"].items()}, {"0": 10.0})


if __name__ == "__main__":
    unittest.main()
