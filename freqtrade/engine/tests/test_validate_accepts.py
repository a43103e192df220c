# validate: our golden rendered strategies and our own real-world-style strategies
# pass static policy, load and a smoke backtest on the sample data; a strategy that
# never trades gets a sentence naming the condition that never fired. All through one
# warm engine server per module (each validation is a fork, not a Freqtrade import).

from __future__ import annotations

import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gentrade_engine.policy import check_source
from tests.validate_support import GOLDEN, STRATEGIES, start_engine, stop_engine, validate

REAL_WORLD = {
    "ema_rsi_pullback.py": "EmaRsiPullback",
    "bollinger_mfi_informative.py": "BollingerMfiInformative",
    "macd_adx_daily_trend.py": "MacdAdxDailyTrend",
    "stoch_cci_scalper.py": "StochCciScalper",
    "donchian_atr_breakout.py": "DonchianAtrBreakout",
}


# Shapes real strategies use that sit next to what the policy refuses: each line must pass
# the static stage inside populate_indicators (the hostile corpus holds their evil twins).
NEEDED_LINES = [
    'threshold = getattr(self, "buy_rsi").value + (1 if hasattr(self, "sell_rsi") else 0)',
    'side = "buy"',
    'value = getattr(self, f"buy_{side}").value + getattr(self, f"{side}_rsi").value',
    'setattr(self, "last_pair", metadata["pair"])',
    'label = "{} {:.2f} {name}".format(metadata["pair"], 1.5, name=type(self).__name__)',
    'dataframe["slope"] = dataframe["close"].rolling(5).apply(lambda s: s.iloc[-1] - s.iloc[0])',
    'dataframe["mean"] = dataframe["close"].rolling(5).agg("mean")',
    'stats = dataframe.agg({"close": ["mean", "max"]})',
    'dataframe["log"] = dataframe["close"].apply(np.log)',
    'dataframe["noise"] = np.random.default_rng(0).normal(size=len(dataframe))',
    'dataframe["w"] = np.where(dataframe["close"] > 0, 1, 0)',
    'dataframe["d"] = pd.to_datetime(dataframe["date"]).dt.hour',
    'arr = dataframe["close"].to_numpy().tolist() + list(dataframe.tail(2).to_dict())',
    'total = functools.reduce(lambda a, b: a & b, [dataframe["close"] > 0, dataframe["open"] > 0])',
    "mapping = collections.OrderedDict(a=1); ok = isinstance(mapping, collections.abc.Mapping)",
    'logging.getLogger(__name__).info("%s %s", math.sqrt(4), typing.cast(int, 1))',
]
_NEEDED_TEMPLATE = """import collections
import collections.abc
import functools
import logging
import math
import typing

import numpy as np
import pandas as pd
from freqtrade.strategy import IntParameter, IStrategy


class Needed(IStrategy):
    timeframe = "1h"
    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")

    def __init__(self, config: dict) -> None:
        super().__init__(config)

    def populate_indicators(self, dataframe, metadata):
        {line}
        return dataframe
"""


def setUpModule() -> None:
    start_engine()


def tearDownModule() -> None:
    stop_engine()


def _validate_all(paths: list[Path], **overrides: Any) -> list[dict[str, Any]]:
    # Two at a time: the server has two slots, the machine two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda path: validate(path, **overrides), paths))


class ValidateAcceptsTest(unittest.TestCase):
    def _accepted(self, reply: dict) -> None:
        self.assertTrue(reply["ok"], reply)
        self.assertTrue(reply.get("accepted"), reply)
        self.assertEqual(
            [s["stage"] for s in reply["stages"]][:3], ["static", "load", "smoke"], reply
        )

    def test_shapes_strategies_need_pass_the_static_policy(self) -> None:
        for line in NEEDED_LINES:
            with self.subTest(line=line):
                self.assertEqual(check_source(_NEEDED_TEMPLATE.format(line=line)), [])

    def test_real_world_strategies_pass_every_stage_and_trade(self) -> None:
        replies = _validate_all([STRATEGIES / name for name in REAL_WORLD])
        for (name, cls), reply in zip(REAL_WORLD.items(), replies, strict=True):
            with self.subTest(strategy=name):
                self._accepted(reply)
                self.assertEqual(reply["class"], cls)
                self.assertGreaterEqual(reply["smoke"]["trades"], 1, reply)

    def test_golden_rendered_strategies_pass_every_stage(self) -> None:
        # The engine backtests spot markets only; futures (can_short) goldens can't load here.
        goldens = [
            p for p in sorted(GOLDEN.glob("*.py")) if "can_short = True" not in p.read_text()
        ]
        self.assertGreaterEqual(len(goldens), 3)
        replies = _validate_all(goldens, pairs=["ETH/USDT", "SOL/USDT"])
        for path, reply in zip(goldens, replies, strict=True):
            with self.subTest(strategy=path.name):
                self._accepted(reply)
                self.assertEqual(reply["class"], path.stem)
                if reply["smoke"]["trades"] == 0:
                    self.assertIn("never", reply["diagnosis"]["sentence"])

    def test_zero_trade_rendered_shape_names_the_condition_that_never_fired(self) -> None:
        reply = validate(STRATEGIES / "zero_trade_conditions.py")
        self._accepted(reply)
        self.assertEqual(reply["smoke"]["trades"], 0)
        diagnosis = reply["diagnosis"]
        counts = {c["label"]: c["true"] for c in diagnosis["conditions"]}
        self.assertEqual(counts["RSI(14) < 1"], 0)
        self.assertEqual(counts["volume > 0"], diagnosis["candles"])
        self.assertGreater(diagnosis["candles"], 600)
        self.assertIn(
            f"RSI(14) < 1 was true on 0 of {diagnosis['candles']} candles", diagnosis["sentence"]
        )
        self.assertIn("RSI(14) < 1 never fired", diagnosis["sentence"])

    def test_zero_trade_custom_code_says_no_entry_signal_was_raised(self) -> None:
        reply = validate(STRATEGIES / "zero_trade_custom.py")
        self._accepted(reply)
        self.assertEqual(reply["smoke"]["trades"], 0)
        self.assertEqual(reply["diagnosis"]["signals"], {"enter_long": 0})
        self.assertIn("no entry signal was ever raised", reply["diagnosis"]["sentence"])

    def test_lookahead_analysis_names_the_column_that_peeks_ahead(self) -> None:
        reply = validate(STRATEGIES / "peek_ahead.py", lookahead=True)
        self._accepted(reply)
        lookahead = reply["lookahead"]
        self.assertTrue(lookahead["checked"], lookahead)
        self.assertTrue(lookahead["biased"], lookahead)
        self.assertIn("next_close", lookahead["indicators"])
        self.assertIn("next_close", lookahead["sentence"])


if __name__ == "__main__":
    unittest.main()
