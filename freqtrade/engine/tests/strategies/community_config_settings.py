# Community-style test strategy (our own) that leaves timeframe, minimal_roi and stoploss to the
# bot's config, as strategies shared for "any timeframe" do: RSI pullbacks above a slow EMA.
# GenTrade fills in Freqtrade's defaults (5m, {"0": 10}, -10%) and says so. (Such a strategy
# can't use @informative: Freqtrade compares the informative timeframe with the class's own.)

import talib.abstract as ta
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class ConfigSettingsLeftOut(IStrategy):
    INTERFACE_VERSION = 3
    startup_candle_count = 60

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        dataframe["ema"] = ta.EMA(dataframe, timeperiod=50)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["rsi"] < 30)
            & (dataframe["close"] > dataframe["ema"] * 0.98)
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["rsi"] > 70, "exit_long"] = 1
        return dataframe
