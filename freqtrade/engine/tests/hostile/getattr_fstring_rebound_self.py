# expect: dynamic-attribute
# marker: method
# Any computed name is allowed on the strategy's own self only; here self is rebound to a
# DataFrame, so the name held in a variable would reach DataFrame.to_pickle.
import functools
import logging
import typing

import numpy as np
import pandas as pd
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 0.1}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        kind = "_".join(["to", "pickle"])
        for self in [dataframe]:
            getattr(self, kind)("MARKER_PATH")
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
