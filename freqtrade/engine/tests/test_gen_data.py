# gen-data: same bytes on every run, a layout Freqtrade's own feather handler loads,
# and candles that are internally consistent across timeframes.

from __future__ import annotations

import json
import unittest
from pathlib import Path

import pandas as pd

from gentrade_engine.pairs import PAIRS
from gentrade_engine.timeframes import GENERATED_TIMEFRAMES
from tests.support import DATA_END, DATA_START, run_engine, scratch, small_dataset

DAYS = (pd.Timestamp(DATA_END) - pd.Timestamp(DATA_START)).days + 1


def _load(datadir: Path, pair: str, timeframe: str) -> pd.DataFrame:
    from freqtrade.data.history.datahandlers import get_datahandler
    from freqtrade.enums import CandleType

    handler = get_datahandler(datadir, "feather")
    return handler.ohlcv_load(pair, timeframe, candle_type=CandleType.SPOT, fill_missing=False)


class GenDataTest(unittest.TestCase):
    def test_two_runs_write_identical_bytes(self) -> None:
        first, second = scratch("det-a"), scratch("det-b")
        for out in (first, second):
            done = run_engine(
                "gen-data", "--out", str(out), "--start", "2024-02-01", "--end", "2024-02-05"
            )
            self.assertEqual(done.returncode, 0, done.stderr)
        names = sorted(p.name for p in first.iterdir() if p.is_file())
        self.assertEqual(names, sorted(p.name for p in second.iterdir() if p.is_file()))
        # One feather file per pair and timeframe, plus coverage.json (the dates each file spans);
        # the perpetuals' files sit in futures/ (test_gen_futures).
        self.assertEqual(len(names), len(PAIRS) * len(GENERATED_TIMEFRAMES) + 1)
        self.assertIn("coverage.json", names)
        coverage = json.loads((first / "coverage.json").read_text())
        self.assertEqual(coverage["BTC/USDT"]["1h"], {"first": "2024-02-01T00:00:00Z", "last": "2024-02-05T23:00:00Z"})
        for name in names:
            self.assertEqual((first / name).read_bytes(), (second / name).read_bytes(), name)

    def test_freqtrade_feather_handler_finds_and_loads_every_file(self) -> None:
        from freqtrade.data.history.datahandlers import get_datahandler
        from freqtrade.enums import TradingMode

        datadir = small_dataset()
        available = get_datahandler(datadir, "feather").ohlcv_get_available_data(
            datadir, TradingMode.SPOT
        )
        expected = {(p.symbol, tf) for p in PAIRS for tf in GENERATED_TIMEFRAMES}
        self.assertEqual({(pair, tf) for pair, tf, _ in available}, expected)

        for pair, timeframe in sorted(expected):
            with self.subTest(pair=pair, timeframe=timeframe):
                frame = _load(datadir, pair, timeframe)
                per_day = 288 // GENERATED_TIMEFRAMES[timeframe]
                self.assertEqual(len(frame), DAYS * per_day)
                self.assertEqual(
                    list(frame.columns), ["date", "open", "high", "low", "close", "volume"]
                )
                self.assertEqual(str(frame["date"].dt.tz), "UTC")
                self.assertEqual(frame["date"].iloc[0], pd.Timestamp(DATA_START, tz="UTC"))

    def test_files_are_byte_identical_to_freqtrades_own_writer(self) -> None:
        from freqtrade.data.history.datahandlers import get_datahandler
        from freqtrade.enums import CandleType

        ours = small_dataset() / "BNB_USDT-4h.feather"
        rewritten = scratch("rewrite")
        frame = pd.read_feather(ours)
        get_datahandler(rewritten, "feather").ohlcv_store("BNB/USDT", "4h", frame, CandleType.SPOT)
        self.assertEqual((rewritten / ours.name).read_bytes(), ours.read_bytes())

    def test_candles_are_consistent(self) -> None:
        datadir = small_dataset()
        for spec in PAIRS:
            for timeframe in GENERATED_TIMEFRAMES:
                with self.subTest(pair=spec.symbol, timeframe=timeframe):
                    frame = _load(datadir, spec.symbol, timeframe)
                    self.assertFalse(frame.isna().any().any())
                    body_low = frame[["open", "close"]].min(axis=1)
                    body_high = frame[["open", "close"]].max(axis=1)
                    self.assertTrue((frame["low"] <= body_low).all())
                    self.assertTrue((frame["high"] >= body_high).all())
                    self.assertTrue((frame["low"] > 0).all())
                    self.assertTrue((frame["volume"] > 0).all())
                    steps = frame["date"].diff().dropna().unique()
                    self.assertEqual(len(steps), 1)

    def test_higher_timeframes_aggregate_the_5m_candles(self) -> None:
        datadir = small_dataset()
        base = _load(datadir, "ETH/USDT", "5m").set_index("date")
        hourly = _load(datadir, "ETH/USDT", "1h").set_index("date")
        rebuilt = base.resample("1h").agg(
            {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}
        )
        pd.testing.assert_frame_equal(
            rebuilt[["open", "high", "low", "close"]],
            hourly[["open", "high", "low", "close"]],
            check_freq=False,
        )
        pd.testing.assert_series_equal(
            rebuilt["volume"], hourly["volume"], rtol=1e-9, check_freq=False
        )

    def test_price_levels_are_realistic(self) -> None:
        btc = _load(small_dataset(), "BTC/USDT", "1d")
        # Early 2024 Bitcoin traded roughly between 38k and 73k.
        self.assertGreater(btc["low"].min(), 25_000)
        self.assertLess(btc["high"].max(), 110_000)

    def test_prints_a_summary_and_rejects_a_reversed_range(self) -> None:
        out = scratch("summary")
        done = run_engine(
            "gen-data",
            "--out",
            str(out),
            "--start",
            "2024-02-01",
            "--end",
            "2024-02-01",
            "--pairs",
            "SOL/USDT",
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("SOL/USDT", done.stdout)
        self.assertIn("wrote 5 feather files", done.stdout)

        reversed_range = run_engine(
            "gen-data", "--out", str(out), "--start", "2024-02-02", "--end", "2024-02-01"
        )
        self.assertNotEqual(reversed_range.returncode, 0)
        self.assertIn("before", reversed_range.stderr)


if __name__ == "__main__":
    unittest.main()
