# Futures from the generated snapshot and data: the perpetuals load into ccxt, Freqtrade finds
# the futures, mark and funding-rate files, and a `trading_mode: futures` request backtests a
# strategy that shorts, offline, on BTC/USDT:USDT with funding charged.

from __future__ import annotations

import json
import unittest
from pathlib import Path

import pandas as pd

from gentrade_engine.synth.markets import futures_snapshot_path
from gentrade_engine.pairs import FUNDING_RATE, PAIRS
from gentrade_engine.timeframes import GENERATED_TIMEFRAMES, ohlcv_path
from tests.support import backtest_request, markets_file, run_engine, scratch, small_dataset

# Shorts when the 20-candle average crosses below the 50, covers when it crosses back.
_SHORT_CROSS = '''
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class ShortCross(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    can_short = True
    minimal_roi = {"0": 100.0}
    stoploss = -0.10
    startup_candle_count = 50

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["fast"] = dataframe["close"].rolling(20).mean()
        dataframe["slow"] = dataframe["close"].rolling(50).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        below = dataframe["fast"] < dataframe["slow"]
        dataframe.loc[below & ~below.shift(1, fill_value=False), "enter_short"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        above = dataframe["fast"] > dataframe["slow"]
        dataframe.loc[above & ~above.shift(1, fill_value=False), "exit_short"] = 1
        return dataframe
'''


def _short_strategy() -> Path:
    path = scratch("short-strategy") / "short_cross.py"
    path.write_text(_SHORT_CROSS, encoding="utf-8")
    return path


class FuturesSnapshotTest(unittest.TestCase):
    def test_perpetuals_load_into_ccxt_binance_with_tiers_freqtrade_parses(self) -> None:
        import ccxt

        snapshot = json.loads(futures_snapshot_path(markets_file()).read_text())
        exchange = ccxt.binance()
        exchange.set_markets(snapshot["markets"])
        self.assertEqual(sorted(exchange.symbols), sorted(f"{p.symbol}:USDT" for p in PAIRS))
        btc = exchange.market("BTC/USDT:USDT")
        self.assertEqual(
            [btc["type"], btc["swap"], btc["linear"], btc["settle"], btc["contractSize"]],
            ["swap", True, True, "USDT", 1.0],
        )
        self.assertEqual(exchange.amount_to_precision("BTC/USDT:USDT", 0.1234567), "0.12345")

        tiers = snapshot["leverage_tiers"]["BTC/USDT:USDT"]
        self.assertEqual(tiers[0]["minNotional"], 0.0)
        for lower, upper in zip(tiers, tiers[1:], strict=False):
            self.assertEqual(lower["maxNotional"], upper["minNotional"])
            # Maintenance margin is continuous where the tiers meet.
            at_edge = upper["minNotional"]
            self.assertAlmostEqual(
                at_edge * lower["maintenanceMarginRate"] - lower["info"]["cum"],
                at_edge * upper["maintenanceMarginRate"] - upper["info"]["cum"],
            )

    def test_spot_snapshot_is_unchanged_by_the_futures_one(self) -> None:
        markets = json.loads(markets_file().read_text())
        self.assertEqual(sorted(markets), sorted(p.symbol for p in PAIRS))


class FuturesDataTest(unittest.TestCase):
    def test_freqtrade_finds_futures_mark_and_funding_files(self) -> None:
        from freqtrade.data.history.datahandlers import get_datahandler
        from freqtrade.enums import CandleType, TradingMode

        datadir = small_dataset()
        handler = get_datahandler(datadir, "feather")
        available = handler.ohlcv_get_available_data(datadir, TradingMode.FUTURES)
        expected = {
            (f"{p.symbol}:USDT", tf, CandleType.FUTURES)
            for p in PAIRS
            for tf in GENERATED_TIMEFRAMES
        }
        expected |= {(f"{p.symbol}:USDT", "1h", CandleType.MARK) for p in PAIRS}
        expected |= {(f"{p.symbol}:USDT", "1h", CandleType.FUNDING_RATE) for p in PAIRS}
        self.assertEqual(set(available), expected)

        for timeframe in ("1m", "1h", "1w"):
            futures = handler.ohlcv_load("BTC/USDT:USDT", timeframe, candle_type=CandleType.FUTURES)
            spot = handler.ohlcv_load("BTC/USDT", timeframe, candle_type=CandleType.SPOT)
            pd.testing.assert_frame_equal(futures, spot)
        funding = handler.ohlcv_load(
            "BTC/USDT:USDT", "1h", candle_type=CandleType.FUNDING_RATE, fill_missing=False
        )
        self.assertEqual(set(funding["date"].dt.hour), {0, 8, 16})
        self.assertTrue((funding["funding_rate"] == FUNDING_RATE).all())

    def test_futures_files_are_deterministic(self) -> None:
        first, second = scratch("fut-a"), scratch("fut-b")
        for out in (first, second):
            done = run_engine(
                "gen-data",
                *("--out", str(out), "--start", "2024-02-01", "--end", "2024-02-02"),
                *("--pairs", "ETH/USDT"),
            )
            self.assertEqual(done.returncode, 0, done.stderr)
        for candle_type in ("futures", "mark", "funding_rate"):
            a, b = (ohlcv_path(d, "ETH/USDT:USDT", "1h", candle_type) for d in (first, second))
            self.assertEqual(a.read_bytes(), b.read_bytes(), candle_type)


class FuturesBacktestTest(unittest.TestCase):
    def test_a_futures_request_shorts_the_perpetual_with_funding(self) -> None:
        results = scratch("futures-backtest")
        request = backtest_request(
            results,
            strategy_path=str(_short_strategy()),
            strategy_class="ShortCross",
            pairs=["BTC/USDT"],
            trading_mode="futures",
        )
        done = run_engine("backtest", stdin=json.dumps(request))
        reply = done.single_json_line()
        self.assertTrue(reply["ok"], reply)
        stats = json.loads(Path(reply["result_path"]).read_text())["strategy"]["ShortCross"]
        self.assertEqual([stats["trading_mode"], stats["margin_mode"]], ["futures", "isolated"])
        trades = stats["trades"]
        self.assertGreater(len(trades), 0)
        self.assertTrue(all(t["is_short"] and t["pair"] == "BTC/USDT:USDT" for t in trades))
        # Shorts receive the positive funding rate.
        self.assertTrue(any(t["funding_fees"] > 0 for t in trades))
        config = json.loads((results / "config.json").read_text())
        self.assertEqual(config["exchange"]["pair_whitelist"], ["BTC/USDT:USDT"])

    def test_a_futures_request_on_one_minute_candles(self) -> None:
        results = scratch("futures-backtest-1m")
        request = backtest_request(
            results,
            strategy_path=str(_short_strategy()),
            strategy_class="ShortCross",
            pairs=["ETH/USDT"],
            timeframe="1m",
            timerange="20240325-20240331",
            trading_mode="futures",
        )
        reply = run_engine("backtest", stdin=json.dumps(request)).single_json_line()
        self.assertTrue(reply["ok"], reply)
        stats = json.loads(Path(reply["result_path"]).read_text())["strategy"]["ShortCross"]
        self.assertEqual([stats["trading_mode"], stats["timeframe"]], ["futures", "1m"])
        self.assertGreater(len(stats["trades"]), 0)
        trades = stats["trades"]
        self.assertTrue(all(t["is_short"] and t["pair"] == "ETH/USDT:USDT" for t in trades))

    def test_a_spot_request_keeps_refusing_a_shorting_strategy(self) -> None:
        request = backtest_request(
            scratch("spot-short"),
            strategy_path=str(_short_strategy()),
            strategy_class="ShortCross",
            pairs=["BTC/USDT"],
        )
        reply = run_engine("backtest", stdin=json.dumps(request)).single_json_line()
        self.assertEqual(reply["code"], "STRATEGY_LOAD", reply)

    def test_an_unknown_trading_mode_is_a_bad_request(self) -> None:
        request = backtest_request(scratch("margin"), trading_mode="margin")
        reply = run_engine("backtest", stdin=json.dumps(request)).single_json_line()
        self.assertEqual(reply["code"], "BAD_REQUEST")
        self.assertIn("trading_mode", reply["message"])


if __name__ == "__main__":
    unittest.main()
