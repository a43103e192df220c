# backtest: Freqtrade's real Backtesting runs offline on the synthetic data, stores
# its normal export, and the engine hands back that export's JSON unchanged.

from __future__ import annotations

import json
import unittest
from pathlib import Path
from zipfile import ZipFile

from tests.support import (
    FIXTURES,
    backtest_request,
    network_namespace_available,
    run_engine,
    scratch,
)


def _stored_zip_json(results_dir: Path) -> bytes:
    export_dir = results_dir / "user_data" / "backtest_results"
    latest = json.loads((export_dir / ".last_result.json").read_text())["latest_backtest"]
    zip_path = export_dir / latest
    with ZipFile(zip_path) as archive:
        return archive.read(zip_path.with_suffix(".json").name)


class BacktestTest(unittest.TestCase):
    def test_sma_cross_trades_offline_and_returns_freqtrades_result(self) -> None:
        results_dir = scratch("bt-sma")
        # No fee in the request: Freqtrade must take it from the snapshot's markets.
        request = backtest_request(results_dir, fee=None)
        # In a network namespace with no interfaces, any network call would fail the run.
        prefix = ("unshare", "-n") if network_namespace_available() else ()
        done = run_engine("backtest", stdin=json.dumps(request), prefix=prefix)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        reply = done.single_json_line()
        self.assertEqual(set(reply), {"ok", "result_path", "strategy", "trades", "timings"})
        self.assertTrue(reply["ok"])
        # Where the time went, Freqtrade's start() split into its steps (milliseconds).
        self.assertEqual(
            list(reply["timings"]),
            [
                *("preflight", "import", "setup", "init", "data", "indicators"),
                *("signals", "loop", "results", "collect"),
            ],
        )
        self.assertTrue(all(isinstance(ms, int) and ms >= 0 for ms in reply["timings"].values()))
        self.assertGreater(reply["timings"]["loop"], 0)
        self.assertEqual(reply["strategy"], "SmaCross")
        self.assertGreaterEqual(reply["trades"], 1)

        result_path = Path(reply["result_path"])
        self.assertEqual(result_path, results_dir / "result.json")
        self.assertEqual(result_path.read_bytes(), _stored_zip_json(results_dir))
        result = json.loads(result_path.read_text())
        stats = result["strategy"]["SmaCross"]
        self.assertEqual(stats["total_trades"], reply["trades"])
        self.assertEqual(stats["timeframe"], "1h")
        self.assertEqual(stats["backtest_start"], "2024-01-15 00:00:00")
        self.assertEqual(sorted(stats["pairlist"]), ["BTC/USDT", "ETH/USDT"])
        self.assertEqual(result["strategy_comparison"][0]["key"], "SmaCross")
        self.assertEqual({t["fee_open"] for t in stats["trades"]}, {0.001})
        self.assertIn("freqtrade", done.stderr)
        self.assertNotIn("blocked", done.stderr)
        # Freqtrade's phases as they came, before the reply (what a Docker run's card shows).
        phases = [event["phase"] for event in done.progress()]
        self.assertIn("backtesting", phases)
        # Each phase once, in one run of lines (a phase repeats only with a higher percent).
        runs = [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p]
        self.assertEqual(len(runs), len(set(runs)), phases)

    def test_version_names_the_installed_freqtrade(self) -> None:
        done = run_engine("version")
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        lock = (Path(__file__).parents[2] / "requirements.lock").read_text()
        self.assertIn(f"freqtrade=={done.single_json_line()['freqtrade']}\n", lock)

    def test_rsi_strategy_trades(self) -> None:
        results_dir = scratch("bt-rsi")
        request = backtest_request(
            results_dir,
            strategy_path=str(FIXTURES / "rsi_revert.py"),
            strategy_class="RsiRevert",
            pairs=["SOL/USDT"],
        )
        done = run_engine("backtest", stdin=json.dumps(request))
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        self.assertGreaterEqual(done.single_json_line()["trades"], 1)

    def test_one_minute_candles_over_the_last_weeks(self) -> None:
        # 1m candles exist for the last 90 days of the data only (2024-01-02 to 2024-03-31 here).
        results_dir = scratch("bt-1m")
        request = backtest_request(
            results_dir, timeframe="1m", pairs=["BTC/USDT"], timerange="20240311-20240331"
        )
        done = run_engine("backtest", stdin=json.dumps(request))
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        reply = done.single_json_line()
        self.assertTrue(reply["ok"], reply)
        self.assertGreaterEqual(reply["trades"], 1)
        stats = json.loads(Path(reply["result_path"]).read_text())["strategy"]["SmaCross"]
        self.assertEqual(stats["timeframe"], "1m")
        self.assertEqual(stats["backtest_start"], "2024-03-11 00:00:00")
        self.assertEqual(stats["backtest_end"], "2024-03-31 00:00:00")

    def test_one_minute_candles_before_their_range_are_no_data(self) -> None:
        request = backtest_request(
            scratch("bt-1m-early"),
            timeframe="1m",
            pairs=["BTC/USDT"],
            timerange="20231201-20240101",
        )
        reply = run_engine("backtest", stdin=json.dumps(request)).single_json_line()
        self.assertEqual(reply["code"], "NO_DATA", reply)
        message = reply["message"]
        self.assertIn("BTC/USDT has no 1m candles between 2023-12-01 and 2024-01-01", message)
        self.assertIn("its data covers 2024-01-02 to 2024-03-31", message)


if __name__ == "__main__":
    unittest.main()
