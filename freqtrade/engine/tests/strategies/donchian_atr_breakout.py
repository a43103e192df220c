# Real-world-style test strategy (our own): Donchian channel breakouts in pandas,
# an ATR-based custom stop-loss placed below the entry candle, numpy for the
# volatility filter.

from datetime import datetime

import numpy as np
import talib.abstract as ta
from freqtrade.persistence import Trade
from freqtrade.strategy import IStrategy, stoploss_from_absolute
from pandas import DataFrame


class DonchianAtrBreakout(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    startup_candle_count = 60

    minimal_roi = {"0": 0.1}
    stoploss = -0.12
    use_custom_stoploss = True

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["dc_upper"] = dataframe["high"].rolling(20).max().shift(1)
        dataframe["dc_lower"] = dataframe["low"].rolling(10).min().shift(1)
        dataframe["atr"] = ta.ATR(dataframe, timeperiod=14)
        dataframe["atr_ratio"] = np.where(dataframe["close"] > 0, dataframe["atr"] / dataframe["close"], 0.0)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["close"] > dataframe["dc_upper"]) & (dataframe["atr_ratio"] < 0.05),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["close"] < dataframe["dc_lower"], "exit_long"] = 1
        return dataframe

    def custom_stoploss(
        self,
        pair: str,
        trade: Trade,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        after_fill: bool,
        **kwargs,
    ) -> float | None:
        frame, _ = self.dp.get_analyzed_dataframe(pair, self.timeframe)
        if frame.empty:
            return None
        atr = frame["atr"].iat[-1]
        return stoploss_from_absolute(current_rate - 2 * atr, current_rate, is_short=trade.is_short)
