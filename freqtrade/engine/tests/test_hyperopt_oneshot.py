# The one-shot `hyperopt` command, as a container runs it: the request on stdin, one progress line
# per epoch on stdout (the warm server's epoch event without an id), then the reply as the last line,
# with Freqtrade's backtests of the best parameters stored under the run's folder.

from __future__ import annotations

import json
import unittest
from pathlib import Path
from typing import Any

from tests.support import hyperopt_request, run_engine, scratch


def _request(results_dir: Path, **overrides: Any) -> dict[str, Any]:
    return hyperopt_request(results_dir, **{"epochs": 3, **overrides})


class OneShotLimitsTest(unittest.TestCase):
    def test_the_wall_clock_grows_with_the_epochs_and_the_candles_each_epoch_backtests(self) -> None:
        from gentrade_engine.hyperopt.run import oneshot_limits, search_candles

        small = {"epochs": 500, "timerange": "20240101-20240301", "timeframe": "1h", "pairs": ["BTC/USDT"]}
        self.assertEqual(search_candles(small), 60 * 24)
        self.assertEqual(oneshot_limits(small).timeout_seconds, 120 + 3 * 500)
        # Three pairs of 5m candles over 2024: 316,224 candles an epoch, 31.6 s allowed for each.
        # (Under 900 s, a backtest's own limit, applies.)
        big = {**small, "timerange": "20240101-20250101", "timeframe": "5m", "pairs": ["A", "B", "C"]}
        self.assertEqual(search_candles(big), 3 * 366 * 288)
        self.assertAlmostEqual(oneshot_limits(big).timeout_seconds, 120 + 500 * 3 * 366 * 288 / 10_000)
        self.assertEqual(search_candles({**small, "timerange": "soon"}), 0)
        # Never more than 6 hours, as the app caps it.
        huge = {**small, "timerange": "20230101-20250101", "timeframe": "1m", "pairs": ["A", "B"]}
        self.assertEqual(oneshot_limits(huge).timeout_seconds, 6 * 3600)


class HyperoptOneShotTest(unittest.TestCase):
    def test_epochs_then_the_reply_on_stdout_and_the_parts_in_the_run_folder(self) -> None:
        results_dir = scratch("ho-oneshot")
        done = run_engine("hyperopt", stdin=json.dumps(_request(results_dir)))
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        reply = done.single_json_line()
        self.assertTrue(reply["ok"], reply)
        self.assertNotIn("network", reply)
        self.assertEqual(reply["epochs_run"], 3)
        events = done.progress()
        self.assertEqual([e["epochs"] for e in events], [1, 2, 3])
        for event in events:
            self.assertEqual(set(event), {"event", "phase", "percent", "epochs", "total", "best_loss"})
            self.assertEqual((event["phase"], event["total"]), ("hyperopt", 3))
        bests = [e["best_loss"] for e in events]
        self.assertEqual(bests, sorted(bests, reverse=True))
        self.assertEqual(bests[-1], reply["best"]["loss"])
        self.assertEqual(events[-1]["percent"], 100.0)
        for part in ("train", "test"):
            self.assertEqual(Path(reply[part]["result_path"]).parent, results_dir / part)
            result = json.loads((results_dir / part / "result.json").read_text())
            stats = result["strategy"]["SmaTunable"]
            self.assertEqual(stats["total_trades"], reply[part]["trades"])
        saved = json.loads(Path(reply["params_path"]).read_text())
        self.assertEqual(saved["params"]["buy"], reply["best"]["params"]["buy"])

    def test_the_same_request_finds_what_the_last_one_found(self) -> None:
        first = run_engine("hyperopt", stdin=json.dumps(_request(scratch("ho-os-1"), epochs=2)))
        second = run_engine("hyperopt", stdin=json.dumps(_request(scratch("ho-os-2"), epochs=2)))
        self.assertEqual(first.single_json_line()["best"], second.single_json_line()["best"])

    def test_a_refusal_is_the_only_line_and_exits_non_zero(self) -> None:
        for stdin in ("not json", json.dumps(_request(scratch("ho-os-bad"), loss="luck"))):
            done = run_engine("hyperopt", stdin=stdin)
            self.assertEqual(done.returncode, 1, done.stderr[-3000:])
            self.assertEqual(done.progress(), [])
            self.assertEqual(done.single_json_line()["code"], "BAD_REQUEST")


if __name__ == "__main__":
    unittest.main()
