# expect: forbidden-name
# marker: method
# getattr bound to another name escapes the check on getattr(...) calls.
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
        g = getattr
        u = "_" * 2
        glb = g(g(self.populate_indicators, u + "func" + u), u + "globals" + u)
        b = glb[u + "builtins" + u]
        op = b["open"] if isinstance(b, dict) else g(b, "open")
        op("MARKER_PATH", "w").close()
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
