# validate: our golden rendered strategies and our own real-world-style strategies
# pass static policy, load and a smoke backtest on the sample data; a strategy that
# never trades gets a sentence naming the condition that never fired. All through one
# warm engine server per module (each validation is a fork, not a Freqtrade import).

from __future__ import annotations

import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.validate_support import GOLDEN, STRATEGIES, start_engine, stop_engine, validate

REAL_WORLD = {
    "ema_rsi_pullback.py": "EmaRsiPullback",
    "bollinger_mfi_informative.py": "BollingerMfiInformative",
    "macd_adx_daily_trend.py": "MacdAdxDailyTrend",
    "stoch_cci_scalper.py": "StochCciScalper",
    "donchian_atr_breakout.py": "DonchianAtrBreakout",
}


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
        self.assertLess(reply["stages"][0]["ms"], 1000)  # milliseconds even on a busy machine

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
