# expect: memory-limit
# limits: memory=2048 timeout=60
# Allocates far more memory than allowed; the address-space limit stops it.
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.1}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        cells = [0] * (len(dataframe) * 10**7)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
