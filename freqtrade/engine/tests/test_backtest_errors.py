# Every bad input comes back as {"ok": false, "code", "message"} with a message that
# names what is wrong: from the one-shot CLI on its one stdout line with exit status 1
# (bad JSON, a strategy failing mid-run), the rest through a warm server's `backtest`
# command, which answers with the same function's reply and saves an import per case.

from __future__ import annotations

import json
import unittest
from typing import Any

from tests.support import backtest_request, run_engine, scratch
from tests.warm_engine import WarmEngine

_BROKEN_SYNTAX = "from freqtrade.strategy import IStrategy\nclass Broken(IStrategy)\n    pass\n"
_STRATEGY_TEMPLATE = """
from freqtrade.strategy import IStrategy


class {name}(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {{"0": 0.1}}
    stoploss = {stoploss}

    def populate_indicators(self, dataframe, metadata):
        {indicators}
        return dataframe

    def populate_entry_trend(self, dataframe, metadata):
        return dataframe

    def populate_exit_trend(self, dataframe, metadata):
        return dataframe
"""


_engine: list[WarmEngine] = []


def setUpModule() -> None:
    backtest_request(scratch("warm-up"))  # the shared data set, before the server starts
    _engine.append(WarmEngine(slots=2))


def tearDownModule() -> None:
    _engine.pop().close()


class BacktestErrorsTest(unittest.TestCase):
    def _fail(self, stdin: str, code: str, *, cli: bool = False) -> tuple[str, str]:
        if cli:
            done = run_engine("backtest", stdin=stdin)
            self.assertEqual(done.returncode, 1, done.stderr[-2000:])
            reply, stderr = done.single_json_line(), done.stderr
        else:
            reply = _engine[0].request("backtest", json.loads(stdin))
            reply.pop("id")
            reply.pop("network")
            stderr = _engine[0].log_tail(20000)
        self.assertEqual(reply, {"ok": False, "code": code, "message": reply["message"]})
        self.assertTrue(reply["message"].endswith((".", "'")), reply["message"])
        return reply["message"], stderr

    def _request(self, name: str, **overrides: Any) -> str:
        return json.dumps(backtest_request(scratch(name), **overrides))

    def _strategy_file(self, name: str, source: str) -> str:
        path = scratch(f"strategy-{name}") / f"{name.lower()}.py"
        path.write_text(source)
        return str(path)

    def test_bad_json(self) -> None:
        message, _ = self._fail("{not json", "BAD_REQUEST", cli=True)
        self.assertIn("not valid JSON", message)

    def test_missing_and_unknown_fields(self) -> None:
        request = backtest_request(scratch("missing"))
        del request["pairs"]
        message, _ = self._fail(json.dumps(request), "BAD_REQUEST")
        self.assertIn("pairs", message)
        message, _ = self._fail(self._request("unknown", fees=0.1), "BAD_REQUEST")
        self.assertIn("fees", message)

    def test_bad_timerange(self) -> None:
        message, _ = self._fail(
            self._request("tr1", timerange="20240301-20240101"), "BAD_TIMERANGE"
        )
        self.assertIn("20240301-20240101", message)
        self._fail(self._request("tr2", timerange="2024-01-01..2024-02-01"), "BAD_TIMERANGE")

    def test_unknown_pair(self) -> None:
        message, _ = self._fail(self._request("pair", pairs=["DOGE/USDT"]), "UNKNOWN_PAIR")
        self.assertIn("DOGE/USDT", message)
        self.assertIn("BTC/USDT, ETH/USDT", message)

    def test_no_data_outside_the_available_range(self) -> None:
        message, _ = self._fail(self._request("nodata", timerange="20250101-20250201"), "NO_DATA")
        self.assertIn("BTC/USDT", message)
        self.assertIn("ETH/USDT", message)
        self.assertIn("2024-01-01 to 2024-03-31", message)

    def test_no_data_for_the_timeframe(self) -> None:
        # Binance has monthly candles; gen-data writes none.
        message, _ = self._fail(self._request("notf", timeframe="1M"), "NO_DATA")
        self.assertIn("no 1M candles", message)
        self.assertIn("1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w", message)

    def test_strategy_file_with_a_syntax_error(self) -> None:
        path = self._strategy_file("Broken", _BROKEN_SYNTAX)
        request = self._request("syntax", strategy_path=path, strategy_class="Broken")
        message, _ = self._fail(request, "STRATEGY_LOAD")
        self.assertIn("SyntaxError", message)

    def test_strategy_class_missing(self) -> None:
        message, _ = self._fail(self._request("noclass", strategy_class="Nope"), "STRATEGY_LOAD")
        self.assertIn("Nope", message)
        self.assertIn("SmaCross", message)

    def test_strategy_file_missing(self) -> None:
        request = self._request("nofile", strategy_path="/nonexistent/strategy.py")
        message, _ = self._fail(request, "STRATEGY_LOAD")
        self.assertIn("/nonexistent/strategy.py", message)

    def test_strategy_with_an_invalid_attribute(self) -> None:
        source = _STRATEGY_TEMPLATE.format(
            name="BadStop", stoploss='"ten percent"', indicators="pass"
        )
        path = self._strategy_file("BadStop", source)
        request = self._request("badattr", strategy_path=path, strategy_class="BadStop")
        message, _ = self._fail(request, "STRATEGY_LOAD")
        self.assertIn("ten percent", message)

    def test_strategy_failing_during_the_backtest_is_a_strategy_error(self) -> None:
        source = _STRATEGY_TEMPLATE.format(
            name="Boom", stoploss="-0.1", indicators='dataframe = dataframe["no_such_column"]'
        )
        path = self._strategy_file("Boom", source)
        request = self._request("boom", strategy_path=path, strategy_class="Boom")
        message, stderr = self._fail(request, "STRATEGY_ERROR", cli=True)
        self.assertIn("The strategy raised an error during the backtest", message)
        self.assertIn("KeyError: 'no_such_column'", message)
        self.assertIn("Traceback", stderr)
        self.assertIn("KeyError: 'no_such_column'", stderr)


if __name__ == "__main__":
    unittest.main()
