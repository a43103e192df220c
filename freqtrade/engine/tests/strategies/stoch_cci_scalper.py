# Real-world-style test strategy (our own): a 15m Stochastic/CCI scalper with
# categorical and boolean hyperopt parameters and a plot_config block.

import logging

import talib.abstract as ta
from freqtrade.strategy import BooleanParameter, CategoricalParameter, IStrategy
from pandas import DataFrame

logger = logging.getLogger(__name__)


class StochCciScalper(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "15m"
    startup_candle_count = 50
    process_only_new_candles = True

    minimal_roi = {"0": 0.02, "60": 0.01, "180": 0.0}
    stoploss = -0.04
    trailing_stop = True
    trailing_stop_positive = 0.005
    trailing_stop_positive_offset = 0.012
    trailing_only_offset_is_reached = True

    cci_level = CategoricalParameter([-150, -100, -50], default=-100, space="buy")
    use_volume_filter = BooleanParameter(default=True, space="buy")

    plot_config = {
        "main_plot": {},
        "subplots": {"Stoch": {"slowk": {"color": "blue"}, "slowd": {"color": "orange"}}},
    }

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        stoch = ta.STOCH(dataframe, fastk_period=14, slowk_period=3, slowd_period=3)
        dataframe["slowk"] = stoch["slowk"]
        dataframe["slowd"] = stoch["slowd"]
        dataframe["cci"] = ta.CCI(dataframe, timeperiod=20)
        dataframe["volume_mean"] = dataframe["volume"].rolling(30).mean()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        signal = (dataframe["slowk"] < 25) & (dataframe["cci"] < self.cci_level.value)
        if self.use_volume_filter.value:
            signal &= dataframe["volume"] > dataframe["volume_mean"] * 0.5
        dataframe.loc[signal, "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[(dataframe["slowk"] > 80) & (dataframe["cci"] > 100), "exit_long"] = 1
        return dataframe
