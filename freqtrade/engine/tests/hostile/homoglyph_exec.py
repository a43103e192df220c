# expect: forbidden-name
# marker: yes
# Fullwidth letters fold to exec under Python's NFKC rule.
from freqtrade.strategy import IStrategy
from pandas import DataFrame

ｅｘｅｃ("op" + "en(" + repr("MARKER_PATH") + ", 'w').close()")


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.1}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
