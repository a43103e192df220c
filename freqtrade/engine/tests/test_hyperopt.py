# hyperopt: Freqtrade's hyperopt runs in the warm server's sandboxed child on the sample data, offline,
# reports each epoch, and hands back the best parameters with Freqtrade's backtests of them on the
# training and the test part.

from __future__ import annotations

import json
import threading
import time
import unittest
from pathlib import Path
from typing import Any

from tests.support import FIXTURES, hyperopt_request, scratch
from tests.warm_engine import WarmEngine

_engine: list[WarmEngine] = []


def setUpModule() -> None:
    _engine.append(WarmEngine(slots=1))


def tearDownModule() -> None:
    _engine.pop().close()


def _request(name: str, **overrides: Any) -> dict[str, Any]:
    return hyperopt_request(scratch(name), **{"epochs": 8, **overrides})


class HyperoptTest(unittest.TestCase):
    def test_a_few_epochs_beat_the_strategy_as_it_stands_on_the_training_part(self) -> None:
        engine = _engine[0]
        reply = engine.request("hyperopt", _request("ho-improves"))
        self.assertTrue(reply["ok"], reply)
        self.assertEqual(reply["epochs_run"], 8)
        # Epoch 1 is the strategy's own values; the best found beats it.
        self.assertIsNotNone(reply["baseline_loss"])
        self.assertLess(reply["best"]["loss"], reply["baseline_loss"])
        params = reply["best"]["params"]
        self.assertEqual(set(params["buy"]), {"fast", "slow"})
        self.assertNotEqual((params["buy"]["fast"], params["buy"]["slow"]), (3, 31))
        # One progress event per epoch, with the best loss so far never getting worse.
        epochs = [e for e in engine.progress if e.get("phase") == "hyperopt"]
        self.assertEqual([e["epochs"] for e in epochs], list(range(1, 9)))
        bests = [e["best_loss"] for e in epochs]
        self.assertEqual(bests, sorted(bests, reverse=True))
        self.assertEqual(bests[-1], reply["best"]["loss"])
        # Freqtrade's backtests of the best parameters, on each part, as ordinary results.
        for part, start in (("train", "2024-01-15"), ("test", "2024-03-10")):
            result = json.loads(Path(reply[part]["result_path"]).read_text())
            stats = result["strategy"]["SmaTunable"]
            self.assertTrue(stats["backtest_start"].startswith(start), stats["backtest_start"])
            self.assertEqual(stats["total_trades"], reply[part]["trades"])
        saved = json.loads(Path(reply["params_path"]).read_text())
        self.assertEqual(saved["params"]["buy"], params["buy"])

    def test_the_same_seed_finds_the_same_parameters(self) -> None:
        first = _engine[0].request("hyperopt", _request("ho-seed-1", epochs=4))
        second = _engine[0].request("hyperopt", _request("ho-seed-2", epochs=4))
        self.assertEqual(first["best"], second["best"])

    def test_a_strategy_without_parameters_says_why_it_cannot_be_tuned(self) -> None:
        request = _request(
            "ho-none",
            strategy_path=str(FIXTURES / "sma_cross.py"),
            strategy_class="SmaCross",
            spaces=["buy"],
        )
        reply = _engine[0].request("hyperopt", request)
        self.assertEqual(reply["code"], "NO_PARAMETERS", reply)
        self.assertIn("IntParameter", reply["message"])

    def test_cancel_mid_hyperopt_stops_the_search(self) -> None:
        engine = _engine[0]
        seen = len(engine.progress)
        replies: list[dict[str, Any]] = []
        runner = threading.Thread(
            target=lambda: replies.append(
                engine.request("hyperopt", _request("ho-cancel", epochs=500))
            )
        )
        runner.start()
        # Wait for the search to be under way (its first epoch reported), then cancel it.
        epoch: dict[str, Any] | None = None
        while epoch is None and runner.is_alive():
            epoch = next((e for e in engine.progress[seen:] if e.get("phase") == "hyperopt"), None)
            time.sleep(0.05)
        self.assertIsNotNone(epoch, replies)
        assert epoch is not None
        answer = engine.request("cancel", {"id": epoch["id"]})
        self.assertEqual(answer["cancelled"], 1)
        runner.join()
        self.assertEqual(replies[0]["code"], "CANCELLED")
        done = [e["epochs"] for e in engine.progress[seen:] if e["id"] == epoch["id"]]
        self.assertLess(max(done), 500)

    def test_an_unknown_loss_is_refused(self) -> None:
        reply = _engine[0].request("hyperopt", _request("ho-bad", loss="luck"))
        self.assertEqual(reply["code"], "BAD_REQUEST")
        self.assertIn("sharpe", reply["message"])


if __name__ == "__main__":
    unittest.main()
