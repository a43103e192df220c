# Community-style test strategy (our own): indicators from the `ta` library and from pandas_ta
# (Freqtrade's maintained fork) next to TA-Lib, the mix shared strategies often carry. Buys an
# RSI turning up below its ceiling while Supertrend points up and ADX shows a trend.

import pandas_ta as pta
import talib.abstract as talib
from freqtrade.strategy import DecimalParameter, IStrategy
from pandas import DataFrame
from ta.momentum import RSIIndicator
from ta.trend import ADXIndicator, EMAIndicator
from ta.volatility import AverageTrueRange


class TaLibraries(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    startup_candle_count = 100

    minimal_roi = {"0": 0.07, "180": 0.03, "720": 0.0}
    stoploss = -0.08

    rsi_ceiling = DecimalParameter(55.0, 75.0, default=65.0, decimals=1, space="buy")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = RSIIndicator(close=dataframe["close"], window=14).rsi()
        adx = ADXIndicator(dataframe["high"], dataframe["low"], dataframe["close"], window=14)
        dataframe["adx"] = adx.adx()
        dataframe["ema_slow"] = EMAIndicator(dataframe["close"], window=50).ema_indicator()
        dataframe["atr"] = AverageTrueRange(
            dataframe["high"], dataframe["low"], dataframe["close"], window=14
        ).average_true_range()
        trend = pta.supertrend(dataframe["high"], dataframe["low"], dataframe["close"], 10, 3.0)
        dataframe["st_dir"] = trend["SUPERTd_10_3.0"]
        dataframe["mfi"] = talib.MFI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["st_dir"] == 1)
            & (dataframe["adx"] > 15)
            & (dataframe["rsi"] < self.rsi_ceiling.value)
            & (dataframe["rsi"] > dataframe["rsi"].shift(1))
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["st_dir"] == -1) & (dataframe["st_dir"].shift(1) == 1), "exit_long"
        ] = 1
        return dataframe
