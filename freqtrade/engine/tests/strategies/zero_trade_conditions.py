# Test strategy: shaped like GenTrade's rendered code, with the diagnosis contract
# gentrade_entry_conditions. RSI(14) under 1 never happens, so it never trades.

import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class ZeroTradeConditions(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.05}
    stoploss = -0.05
    startup_candle_count = 30

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi_14"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def gentrade_entry_conditions(self, dataframe: DataFrame) -> list:
        return [
            ("RSI(14) < 1", dataframe["rsi_14"] < 1),
            ("volume > 0", dataframe["volume"] > 0),
        ]

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        signal = dataframe["volume"] >= 0
        for _label, condition in self.gentrade_entry_conditions(dataframe):
            signal &= condition
        dataframe.loc[signal, "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
