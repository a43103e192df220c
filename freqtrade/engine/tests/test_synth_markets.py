# gen-markets: the snapshot is a map ccxt's binance accepts through set_markets, in
# ccxt's TICK_SIZE precision mode, covering every pair gen-data writes.

from __future__ import annotations

import json
import unittest

from gentrade_engine.pairs import PAIRS
from tests.support import markets_file, run_engine, scratch


class GenMarketsTest(unittest.TestCase):
    def test_snapshot_loads_into_ccxt_binance(self) -> None:
        import ccxt

        markets = json.loads(markets_file().read_text())
        exchange = ccxt.binance()
        self.assertEqual(exchange.precisionMode, ccxt.TICK_SIZE)
        exchange.set_markets(markets)

        self.assertEqual(sorted(exchange.symbols), sorted(p.symbol for p in PAIRS))
        btc = exchange.market("BTC/USDT")
        self.assertEqual(btc["id"], "BTCUSDT")
        self.assertTrue(btc["spot"])
        self.assertFalse(btc["contract"])
        self.assertEqual(exchange.markets_by_id["BTCUSDT"][0]["symbol"], "BTC/USDT")
        self.assertEqual(exchange.price_to_precision("BTC/USDT", 43210.126), "43210.13")
        self.assertEqual(exchange.amount_to_precision("BTC/USDT", 0.1234567), "0.12345")
        self.assertEqual(exchange.amount_to_precision("XRP/USDT", 12.34), "12.3")
        fee = exchange.calculate_fee("ETH/USDT", "limit", "buy", 1.0, 2000.0, "taker")
        self.assertAlmostEqual(fee["rate"], 0.001)
        self.assertIn("USDT", exchange.currencies)

    def test_every_market_is_an_active_spot_market(self) -> None:
        markets = json.loads(markets_file().read_text())
        for symbol, market in markets.items():
            with self.subTest(symbol=symbol):
                self.assertEqual(market["symbol"], symbol)
                self.assertEqual(market["type"], "spot")
                self.assertTrue(market["active"])
                self.assertEqual(
                    [market[k] for k in ("margin", "swap", "future", "option")], [False] * 4
                )
                self.assertIsNone(market["linear"])
                self.assertGreater(market["limits"]["cost"]["min"], 0)

    def test_snapshot_is_deterministic(self) -> None:
        out = scratch("markets")
        run_engine("gen-markets", "--out", str(out / "a.json"))
        run_engine("gen-markets", "--out", str(out / "b.json"))
        self.assertEqual((out / "a.json").read_bytes(), (out / "b.json").read_bytes())


if __name__ == "__main__":
    unittest.main()
