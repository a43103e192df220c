# pragma pylint: disable=missing-docstring, invalid-name, pointless-string-statement
# flake8: noqa: F401
# --- Do not remove these libs ---
# Community-style test strategy (our own, written the way shared strategies are): Freqtrade's
# template imports, qtpylib through freqtrade.vendor, Bollinger Bands and EMA crosses, module
# metadata, warnings silenced at import, class constants computed from literals, private helpers
# and caches, getattr with a computed name on self, and a log line naming the class.
import logging
import warnings
from functools import reduce

import freqtrade.vendor.qtpylib.indicators as qtpylib
import numpy as np  # noqa
import pandas as pd  # noqa
import talib.abstract as ta
from freqtrade.strategy import IntParameter, IStrategy
from pandas import DataFrame

__author__ = "GenTrade tests"
__version__ = "1.2.0"
__copyright__ = "Free for any use"

warnings.simplefilter(action="ignore", category=FutureWarning)
pd.options.mode.chained_assignment = None
logger = logging.getLogger(__name__)


class QtpylibBandsCross(IStrategy):
    """
    Buys a close back inside the lower Bollinger Band while the fast EMA is above the slow
    one; sells when price crosses above the middle band.
    """

    INTERFACE_VERSION = 3
    timeframe = "15m"

    fast_ema = 20
    slow_ema = 50
    startup_candle_count = max(fast_ema, slow_ema) * 2

    """ Buy hyperspace params: """
    buy_params = {"buy_bb_window": 20, "buy_rsi": 45}

    # ROI table:
    minimal_roi = {"0": 0.04, "60": 0.02, "240": 0.01}

    # Stoploss:
    stoploss = -0.06

    buy_bb_window = IntParameter(15, 30, default=buy_params["buy_bb_window"], space="buy")
    buy_rsi = IntParameter(30, 60, default=buy_params["buy_rsi"], space="buy")

    def __init__(self, config: dict) -> None:
        super(QtpylibBandsCross, self).__init__(config)
        self._band_cache: dict[str, float] = {}

    def _band_width(self, dataframe: DataFrame) -> pd.Series:
        return (dataframe["bb_upper"] - dataframe["bb_lower"]) / dataframe["bb_middle"]

    def _remember(self, pair: str, width: float) -> None:
        self._band_cache[pair] = width

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        window = getattr(self, f"buy_{'bb_window'}").value
        bollinger = qtpylib.bollinger_bands(qtpylib.typical_price(dataframe), window=window, stds=2)
        dataframe["bb_lower"] = bollinger["lower"]
        dataframe["bb_middle"] = bollinger["mid"]
        dataframe["bb_upper"] = bollinger["upper"]
        dataframe["bb_width"] = self._band_width(dataframe)
        for period in (self.fast_ema, self.slow_ema):
            dataframe[f"ema_{period}"] = ta.EMA(dataframe, timeperiod=period)
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        self._remember(metadata["pair"], float(dataframe["bb_width"].iloc[-1]))
        logger.debug("%s: %s indicators ready", self.__class__.__name__, metadata["pair"])
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        conditions = [
            qtpylib.crossed_above(dataframe["close"], dataframe["bb_lower"])
            | (dataframe["close"] < dataframe["bb_lower"]),
            dataframe[f"ema_{self.fast_ema}"] > dataframe[f"ema_{self.slow_ema}"] * 0.98,
            dataframe["rsi"] < self.buy_rsi.value,
            dataframe["volume"] > 0,
        ]
        dataframe.loc[reduce(lambda a, b: a & b, conditions), "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["close"], dataframe["bb_middle"]), "exit_long"
        ] = 1
        return dataframe
