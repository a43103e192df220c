# expect: cpu-limit
# limits: cpu=3 timeout=60
# An endless loop in populate_indicators; only the CPU limit stops it.
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.1}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        spins = 0
        while spins >= 0:
            spins += 1
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
