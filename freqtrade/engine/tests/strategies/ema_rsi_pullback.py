# Real-world-style test strategy (our own): trend filter by EMAs, entries on RSI
# pullbacks, hyperoptable thresholds and the usual protections property.

import talib.abstract as ta
from freqtrade.strategy import DecimalParameter, IntParameter, IStrategy
from pandas import DataFrame


class EmaRsiPullback(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    can_short = False
    startup_candle_count = 100

    minimal_roi = {"0": 0.06, "120": 0.03, "480": 0.0}
    stoploss = -0.08
    trailing_stop = False

    buy_rsi = IntParameter(25, 45, default=40, space="buy")
    sell_rsi = IntParameter(60, 80, default=68, space="sell")
    trend_gap = DecimalParameter(0.0, 0.02, default=0.0, decimals=3, space="buy")

    @property
    def protections(self):
        return [
            {"method": "CooldownPeriod", "stop_duration_candles": 3},
            {
                "method": "StoplossGuard",
                "lookback_period_candles": 24,
                "trade_limit": 3,
                "stop_duration_candles": 12,
                "only_per_pair": False,
            },
        ]

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["ema_fast"] = ta.EMA(dataframe, timeperiod=20)
        dataframe["ema_slow"] = ta.EMA(dataframe, timeperiod=50)
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        uptrend = dataframe["ema_fast"] > dataframe["ema_slow"] * (1 + self.trend_gap.value)
        dataframe.loc[
            uptrend & (dataframe["rsi"] < self.buy_rsi.value) & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["rsi"] > self.sell_rsi.value, "exit_long"] = 1
        return dataframe
