# Real-world-style test strategy (our own): MACD crossings filtered by ADX, with the
# daily trend of the same pair merged in through informative_pairs and
# merge_informative_pair, as older community strategies do.

import talib.abstract as ta
from freqtrade.strategy import IStrategy, merge_informative_pair
from pandas import DataFrame
from technical import qtpylib


class MacdAdxDailyTrend(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    informative_timeframe = "1d"
    startup_candle_count = 60

    minimal_roi = {"0": 0.08, "360": 0.03, "1440": 0.0}
    stoploss = -0.07

    def informative_pairs(self):
        pairs = self.dp.current_whitelist()
        return [(pair, self.informative_timeframe) for pair in pairs]

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        daily = self.dp.get_pair_dataframe(pair=metadata["pair"], timeframe=self.informative_timeframe)
        daily["sma"] = ta.SMA(daily, timeperiod=10)
        dataframe = merge_informative_pair(
            dataframe, daily, self.timeframe, self.informative_timeframe, ffill=True
        )
        macd = ta.MACD(dataframe, fastperiod=12, slowperiod=26, signalperiod=9)
        dataframe["macd"] = macd["macd"]
        dataframe["macdsignal"] = macd["macdsignal"]
        dataframe["adx"] = ta.ADX(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["macd"], dataframe["macdsignal"])
            & (dataframe["adx"] > 15)
            & (dataframe["close"] > dataframe["sma_1d"] * 0.97),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_below(dataframe["macd"], dataframe["macdsignal"]), "exit_long"
        ] = 1
        return dataframe
