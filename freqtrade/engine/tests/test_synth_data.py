# gen-data: same bytes on every run, a layout Freqtrade's own feather handler loads,
# candles that are internally consistent across timeframes, and the files that existed before
# 1m, 3m, 30m, 2h, 6h, 8h, 12h, 3d and 1w were added still byte for byte what they were.

from __future__ import annotations

import hashlib
import json
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

from gentrade_engine.pairs import PAIRS
from gentrade_engine.timeframes import (
    AGGREGATED_TIMEFRAMES,
    GENERATED_TIMEFRAMES,
    MINUTE_DAYS,
    ohlcv_path,
    timeframe_seconds,
)
from tests.support import DATA_END, DATA_START, run_engine, scratch, small_dataset

DAYS = (pd.Timestamp(DATA_END) - pd.Timestamp(DATA_START)).days + 1
_OHLCV = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}

# sha256 of the small data set's files as the generator wrote them before the new timeframes
# (commit 87c916a, `gen-data --start 2024-01-01 --end 2024-03-31`). Each perpetual's candle file
# is the same bytes as its spot file; every funding-rate file is this one.
_BEFORE = {
    "BNB_USDT-15m.feather": "feba40c49d02db0dca93a14f403a3e27f3d29ce2f8bdb06e01b45d76e3c63142",
    "BNB_USDT-1d.feather": "d0ef7d125755396369878d4ad840808ca149c7316fef4ad5de8667791326c906",
    "BNB_USDT-1h.feather": "e9a19e77485abacdbb5677edcc730e7fc580e8907102088b9632b2652ec04de5",
    "BNB_USDT-4h.feather": "69b7e6eb70e0f35aed2138ab092dc33159ffc41e320aebc89ea1f228b9d424e7",
    "BNB_USDT-5m.feather": "277061250939fcdc8b46d6f36a0edc1b859b7f2229aaf04e94b82eca3a9e19a5",
    "BTC_USDT-15m.feather": "42528fef914e15396c6e164d148442c2dde048d45118646e481fec9dbc598c0a",
    "BTC_USDT-1d.feather": "e9a13943e69b22ba91c290ed2cbf55c63532d2527e6c19948ee514082bff1c2c",
    "BTC_USDT-1h.feather": "998293768c5e00b2e0ab034095f2871e164bdc957f621c77fea5e343e6735f6b",
    "BTC_USDT-4h.feather": "d4ea8d135df94d48367f53a210b72ff0ef65fde557b17226a7e29e9d41e45b51",
    "BTC_USDT-5m.feather": "39109c4f427d5a4ed95254dab2ae4e88407f247c8480d566634f50e103299ba8",
    "ETH_USDT-15m.feather": "1d29dac1045e8a89a898bbe859f3e901bab6f85a372dfa0502a58af1fd816578",
    "ETH_USDT-1d.feather": "58e0e57893adc51375b059391aa55e10e9e625c231b98ddde010beeb4338fa13",
    "ETH_USDT-1h.feather": "7d7abb4860914eab9429bdcde75e0bf8af4cfb43d91a7ddf9249d1c372401302",
    "ETH_USDT-4h.feather": "9f902b323e542d4c1ee8c7c1d257bc048f46f8e5784b3b22688bf94bff729e7d",
    "ETH_USDT-5m.feather": "307d53ad1bea44438a4902a0e4eb528277d538ce69fdee73774cfabaa75441d8",
    "SOL_USDT-15m.feather": "0477a8872b8016d24029287fc7be1bb2833d9c12e06ca2a5b2f8e7674d9cacfd",
    "SOL_USDT-1d.feather": "fe0efb5dc6ed1f8489374d6dface29b65ce2350a467c50ba608de8ac5d382bf3",
    "SOL_USDT-1h.feather": "b552b1d9b1adc8ddb60179bc28196aae37b51ec3b3d3723385c3dd68a5de8bb4",
    "SOL_USDT-4h.feather": "8edac14968854a97e4418b3ef1d456689f89cb80446c900683ed8401bf99d252",
    "SOL_USDT-5m.feather": "aa9d1a94dade82d7b07c4fab7ed8ec65b95c57a4a86ad951d5c6a50d10cff473",
    "XRP_USDT-15m.feather": "bd53bacb29b0f9042dd57ba054c98392cda9232ffbf52add33d5c61de4053c44",
    "XRP_USDT-1d.feather": "cacf542499b2c09b32544ea0a13b9026be55683efe6410d3f36625bfee0241c0",
    "XRP_USDT-1h.feather": "123cdc24e658c739e9cce0c8f190e836ce3f209996eaa3abe521c179b2e1d8a8",
    "XRP_USDT-4h.feather": "867282f8d4bb1e1be05061841dae076f9b54ebd19cd45fc64d82c9edf8b59926",
    "XRP_USDT-5m.feather": "46a318f49b512ccc1f9f30c0e3cd38685798cc4b3c64c2c3416bcbe763eecc11",
}
_FUNDING_BEFORE = "3b691af358c55a333ab4777151f4fd6a6be7b40183622df83815277b81b4f6a8"


def _load(datadir: Path, pair: str, timeframe: str) -> pd.DataFrame:
    from freqtrade.data.history.datahandlers import get_datahandler
    from freqtrade.enums import CandleType

    handler = get_datahandler(datadir, "feather")
    return handler.ohlcv_load(pair, timeframe, candle_type=CandleType.SPOT, fill_missing=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decimals(increment: float) -> int:
    return max(0, -int(np.floor(np.log10(increment) + 1e-9)))


def _expected_span(timeframe: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last candle open in the small data set (2024-01-01, a Monday, to 2024-03-31)."""
    start, end = pd.Timestamp(DATA_START, tz="UTC"), pd.Timestamp(DATA_END, tz="UTC")
    step = pd.Timedelta(seconds=timeframe_seconds(timeframe))
    if timeframe in ("1m", "3m"):
        # The last 90 days only.
        start = end - pd.Timedelta(days=MINUTE_DAYS - 1)
    if timeframe == "3d":
        # On the epoch's 3-day grid: 2024-01-03 is its first day in the range, and the candle of
        # 2024-03-27 to 03-29 the last whole one (03-30's would run past the data).
        return pd.Timestamp("2024-01-03", tz="UTC"), pd.Timestamp("2024-03-27", tz="UTC")
    return start, end + pd.Timedelta(days=1) - step


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
        # One feather file per pair and timeframe but 1w (Thursday to Monday holds no whole
        # week), plus coverage.json (the dates each file spans); the perpetuals' files sit in
        # futures/ (test_gen_futures).
        self.assertEqual(len(names), len(PAIRS) * (len(GENERATED_TIMEFRAMES) - 1) + 1)
        self.assertNotIn("BTC_USDT-1w.feather", names)
        self.assertIn("coverage.json", names)
        coverage = json.loads((first / "coverage.json").read_text())
        self.assertEqual(
            coverage["BTC/USDT"]["1h"],
            {"first": "2024-02-01T00:00:00Z", "last": "2024-02-05T23:00:00Z"},
        )
        self.assertEqual(
            coverage["BTC/USDT"]["3d"],
            {"first": "2024-02-02T00:00:00Z", "last": "2024-02-02T00:00:00Z"},
        )
        self.assertNotIn("1w", coverage["BTC/USDT"])
        for name in names:
            self.assertEqual((first / name).read_bytes(), (second / name).read_bytes(), name)

    def test_files_that_existed_before_are_unchanged(self) -> None:
        datadir = small_dataset()
        for name, digest in _BEFORE.items():
            with self.subTest(name=name):
                self.assertEqual(_sha256(datadir / name), digest)
        for spec in PAIRS:
            for timeframe in ("5m", "15m", "1h", "4h", "1d"):
                futures = ohlcv_path(datadir, spec.swap_symbol, timeframe, "futures")
                spot = ohlcv_path(datadir, spec.symbol, timeframe)
                self.assertEqual(_sha256(futures), _BEFORE[spot.name], futures.name)
            mark = ohlcv_path(datadir, spec.swap_symbol, "1h", "mark")
            self.assertEqual(_sha256(mark), _BEFORE[ohlcv_path(datadir, spec.symbol, "1h").name])
            funding = ohlcv_path(datadir, spec.swap_symbol, "1h", "funding_rate")
            self.assertEqual(_sha256(funding), _FUNDING_BEFORE, funding.name)

    def test_freqtrade_feather_handler_finds_and_loads_every_file(self) -> None:
        from freqtrade.data.history.datahandlers import get_datahandler
        from freqtrade.enums import TradingMode

        datadir = small_dataset()
        available = get_datahandler(datadir, "feather").ohlcv_get_available_data(
            datadir, TradingMode.SPOT
        )
        expected = {(p.symbol, tf) for p in PAIRS for tf in GENERATED_TIMEFRAMES}
        self.assertEqual({(pair, tf) for pair, tf, _ in available}, expected)
        coverage = json.loads((datadir / "coverage.json").read_text())

        for pair, timeframe in sorted(expected):
            with self.subTest(pair=pair, timeframe=timeframe):
                frame = _load(datadir, pair, timeframe)
                first, last = _expected_span(timeframe)
                step = pd.Timedelta(seconds=timeframe_seconds(timeframe))
                self.assertEqual(frame["date"].iloc[0], first)
                self.assertEqual(frame["date"].iloc[-1], last)
                self.assertEqual(len(frame), (last - first) / step + 1)
                self.assertEqual(
                    list(frame.columns), ["date", "open", "high", "low", "close", "volume"]
                )
                self.assertEqual(str(frame["date"].dt.tz), "UTC")
                iso = "%Y-%m-%dT%H:%M:%SZ"
                self.assertEqual(
                    coverage[pair][timeframe],
                    {"first": first.strftime(iso), "last": last.strftime(iso)},
                )

    def test_files_are_byte_identical_to_freqtrades_own_writer(self) -> None:
        from freqtrade.data.history.datahandlers import get_datahandler
        from freqtrade.enums import CandleType

        for name, pair, timeframe in (
            ("BNB_USDT-4h.feather", "BNB/USDT", "4h"),
            ("BNB_USDT-1m.feather", "BNB/USDT", "1m"),
            ("BNB_USDT-1w.feather", "BNB/USDT", "1w"),
        ):
            ours = small_dataset() / name
            rewritten = scratch(f"rewrite-{timeframe}")
            frame = pd.read_feather(ours)
            get_datahandler(rewritten, "feather").ohlcv_store(
                pair, timeframe, frame, CandleType.SPOT
            )
            self.assertEqual((rewritten / ours.name).read_bytes(), ours.read_bytes(), name)

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
                    # Prices on the tick size, volumes on the lot size (both powers of ten).
                    prices = frame[["open", "high", "low", "close"]]
                    self.assertTrue(prices.equals(prices.round(_decimals(spec.tick_size))))
                    volume = frame["volume"]
                    self.assertTrue(volume.equals(volume.round(_decimals(spec.step_size))))

    def test_higher_timeframes_aggregate_the_5m_candles(self) -> None:
        # Freqtrade's own resampling rule for each timeframe: weeks open on Monday ("1W-MON"),
        # everything else on the epoch's grid; only whole candles are written.
        from freqtrade.exchange import timeframe_to_resample_freq

        datadir = small_dataset()
        base = _load(datadir, "ETH/USDT", "5m").set_index("date")
        for timeframe in AGGREGATED_TIMEFRAMES[1:]:
            with self.subTest(timeframe=timeframe):
                frame = _load(datadir, "ETH/USDT", timeframe).set_index("date")
                freq = timeframe_to_resample_freq(timeframe)
                # pandas anchors "1W-MON" itself and refuses an origin for it.
                origin = "start_day" if freq == "1W-MON" else "epoch"
                grouped = base.resample(freq, origin=origin, label="left", closed="left")
                whole = grouped.size() == timeframe_seconds(timeframe) // 300
                rebuilt = grouped.agg(_OHLCV)[whole]
                self.assertEqual(list(rebuilt.index), list(frame.index))
                pd.testing.assert_frame_equal(
                    rebuilt[["open", "high", "low", "close"]],
                    frame[["open", "high", "low", "close"]],
                    check_freq=False,
                )
                pd.testing.assert_series_equal(
                    rebuilt["volume"], frame["volume"], rtol=1e-9, check_freq=False
                )

    def test_weeks_open_on_monday_and_cut_weeks_are_left_out(self) -> None:
        # Like the real range, this one starts on a Sunday (2023-01-01) and ends mid-week.
        out = scratch("weeks")
        done = run_engine(
            "gen-data",
            *("--out", str(out), "--start", "2023-01-01", "--end", "2023-01-31"),
            *("--pairs", "BTC/USDT"),
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        weekly = _load(out, "BTC/USDT", "1w")
        self.assertEqual(set(weekly["date"].dt.day_name()), {"Monday"})
        self.assertEqual(
            list(weekly["date"].dt.strftime("%Y-%m-%d")),
            ["2023-01-02", "2023-01-09", "2023-01-16", "2023-01-23"],
        )
        base = _load(out, "BTC/USDT", "5m").set_index("date")
        first_week = base.loc["2023-01-02":"2023-01-08"]
        self.assertEqual(weekly["open"].iloc[0], first_week["open"].iloc[0])
        self.assertEqual(weekly["close"].iloc[0], first_week["close"].iloc[-1])
        self.assertEqual(weekly["high"].iloc[0], first_week["high"].max())
        three_days = _load(out, "BTC/USDT", "3d")
        self.assertEqual(three_days["date"].iloc[0], pd.Timestamp("2023-01-02", tz="UTC"))
        self.assertEqual(len(three_days), 10)
        coverage = json.loads((out / "coverage.json").read_text())["BTC/USDT"]
        self.assertEqual(
            coverage["1w"],
            {"first": "2023-01-02T00:00:00Z", "last": "2023-01-23T00:00:00Z"},
        )
        self.assertEqual(
            coverage["1m"],
            {"first": "2023-01-01T00:00:00Z", "last": "2023-01-31T23:59:00Z"},
        )

    def test_one_minute_candles_aggregate_back_to_the_5m_ones_exactly(self) -> None:
        datadir = small_dataset()
        for spec in PAIRS:
            with self.subTest(pair=spec.symbol):
                minute = _load(datadir, spec.symbol, "1m").set_index("date")
                base = _load(datadir, spec.symbol, "5m").set_index("date")
                rebuilt = minute.resample("5min").agg(_OHLCV)
                # Volume sums are rounded to the lot size, as the 5m volume is.
                rebuilt["volume"] = rebuilt["volume"].round(_decimals(spec.step_size))
                expected = base.loc[minute.index[0] :]
                self.assertEqual(len(rebuilt), MINUTE_DAYS * 288)
                pd.testing.assert_frame_equal(rebuilt, expected, check_exact=True, check_freq=False)

                three = _load(datadir, spec.symbol, "3m").set_index("date")
                again = minute.resample("3min").agg(_OHLCV)
                again["volume"] = again["volume"].round(_decimals(spec.step_size))
                pd.testing.assert_frame_equal(again, three, check_exact=True, check_freq=False)

    def test_one_minute_candles_move_inside_their_5m_candle(self) -> None:
        # Not five copies of one price: the low and the high trade in different minutes of most
        # 5m candles, and minutes differ from each other.
        minute = _load(small_dataset(), "BTC/USDT", "1m")
        groups = np.arange(len(minute)) // 5
        at_low = minute.groupby(groups)["low"].transform("min") == minute["low"]
        at_high = minute.groupby(groups)["high"].transform("max") == minute["high"]
        self.assertLess((at_low & at_high).mean(), 0.2)
        self.assertGreater(minute["close"].diff().ne(0).mean(), 0.8)

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
        # 1m to 1d; one day holds no whole 3d or 1w candle.
        self.assertIn("wrote 12 feather files", done.stdout)

        reversed_range = run_engine(
            "gen-data", "--out", str(out), "--start", "2024-02-02", "--end", "2024-02-01"
        )
        self.assertNotEqual(reversed_range.returncode, 0)
        self.assertIn("before", reversed_range.stderr)


if __name__ == "__main__":
    unittest.main()
