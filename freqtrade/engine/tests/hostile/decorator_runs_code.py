# expect: import-time-decorator
# marker: yes
# A home-made decorator runs when the class is created.
from freqtrade.strategy import IStrategy
from pandas import DataFrame


def announce(func):
    open("MARKER_PATH", "w").close()
    return func


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.1}
    stoploss = -0.1

    @announce
    def bot_start(self, **kwargs) -> None:
        return None

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
