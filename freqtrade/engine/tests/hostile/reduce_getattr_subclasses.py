# expect: forbidden-name
# marker: method
# functools.reduce(getattr, ...) walks to object.__subclasses__ and on to os's globals.
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
        u = "_" * 2
        subclasses = functools.reduce(getattr, [u + "class" + u, u + "base" + u, u + "subclasses" + u], ())()
        wrap = [c for c in subclasses if c.__name__ == "_wrap_close"][0]
        glb = functools.reduce(getattr, [u + "init" + u, u + "globals" + u], wrap)
        glb["close"](glb["open"]("MARKER_PATH", glb["O_CREAT"] | glb["O_WRONLY"]))
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 0
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
