# Community-style test strategy (our own): indicators from `technical` (Ichimoku, its qtpylib,
# a volume-weighted MACD) with a scipy slope filter, the way shared trend strategies mix
# helper libraries, with a 4h trend through Freqtrade's @informative decorator. Buys a
# Tenkan/Kijun (or volume-weighted MACD) cross above the cloud or on a rising slope, while the
# 4h close holds above its 50 EMA.

from datetime import datetime

import numpy as np
import talib.abstract as ta
import technical.indicators as ftt
from freqtrade.strategy import IStrategy, informative
from pandas import DataFrame
from scipy import stats
from technical import qtpylib
from technical.indicators import ichimoku


def _slope(window: np.ndarray) -> float:
    return float(stats.linregress(np.arange(len(window)), window).slope)


class TechnicalIchimoku(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    startup_candle_count = 120
    process_only_new_candles = True

    minimal_roi = {"0": 0.08, "360": 0.03, "1440": 0.0}
    stoploss = -0.07
    trailing_stop = True
    trailing_stop_positive = 0.01
    trailing_stop_positive_offset = 0.03
    trailing_only_offset_is_reached = True

    plot_config = {
        "main_plot": {"tenkan": {"color": "blue"}, "kijun": {"color": "red"}},
        "subplots": {"VWMACD": {"vwmacd": {}, "signal": {}}},
    }

    @informative("4h")
    def populate_indicators_4h(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["ema50"] = ta.EMA(dataframe, timeperiod=50)
        return dataframe

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        cloud = ichimoku(dataframe, conversion_line_period=9, base_line_periods=26)
        dataframe["tenkan"] = cloud["tenkan_sen"]
        dataframe["kijun"] = cloud["kijun_sen"]
        dataframe["senkou_a"] = cloud["senkou_span_a"]
        dataframe["senkou_b"] = cloud["senkou_span_b"]
        macd = ftt.vwmacd(dataframe, fastperiod=12, slowperiod=26, signalperiod=9)
        dataframe["vwmacd"] = macd["vwmacd"]
        dataframe["signal"] = macd["signal"]
        dataframe["slope"] = dataframe["close"].rolling(12).apply(_slope, raw=True)
        dataframe["atr"] = ta.ATR(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        above_cloud = dataframe["close"] > dataframe[["senkou_a", "senkou_b"]].max(axis=1)
        dataframe.loc[
            (
                qtpylib.crossed_above(dataframe["tenkan"], dataframe["kijun"])
                | qtpylib.crossed_above(dataframe["vwmacd"], dataframe["signal"])
            )
            & (above_cloud | (dataframe["slope"] > 0))
            & (dataframe["close_4h"] > dataframe["ema50_4h"] * 0.97)
            & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "tk_cross")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_below(dataframe["tenkan"], dataframe["kijun"]), "exit_long"
        ] = 1
        return dataframe

    def custom_exit(
        self,
        pair: str,
        trade,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        **kwargs,
    ) -> str | None:
        if current_profit < -0.03 and (current_time - trade.open_date_utc).days >= 3:
            return "stale_loser"
        return None
