# --- Do not remove these libs ---
# Community-style test strategy (our own), written for Freqtrade's interface version 2 as many
# shared strategies still are: populate_buy_trend / populate_sell_trend setting "buy" and "sell",
# the old setting names and order types, NumPy 1's np.NaN, no INTERFACE_VERSION and no minimal_roi
# (exits come from the sell signal and the stop). A 4h trend filter through informative_pairs()
# and the data provider, merged the pre-decorator way.
import numpy as np
from freqtrade.strategy import IStrategy, merge_informative_pair
from pandas import DataFrame
import talib.abstract as ta
import freqtrade.vendor.qtpylib.indicators as qtpylib
# --------------------------------


class LegacyMacdV2(IStrategy):
    """
    author@: GenTrade tests
    Buys a MACD cross while the 4h close is above its 50 EMA.
    """

    stoploss = -0.1
    timeframe = "1h"
    informative_timeframe = "4h"

    use_sell_signal = True
    sell_profit_only = False
    ignore_roi_if_buy_signal = False

    order_types = {
        "buy": "limit",
        "sell": "limit",
        "stoploss": "market",
        "stoploss_on_exchange": False,
    }

    def informative_pairs(self):
        pairs = self.dp.current_whitelist()
        return [(pair, self.informative_timeframe) for pair in pairs]

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        informative = self.dp.get_pair_dataframe(
            pair=metadata["pair"], timeframe=self.informative_timeframe
        )
        informative["ema50"] = ta.EMA(informative, timeperiod=50)
        dataframe = merge_informative_pair(
            dataframe, informative, self.timeframe, self.informative_timeframe, ffill=True
        )
        macd = ta.MACD(dataframe)
        dataframe["macd"] = macd["macd"]
        dataframe["macdsignal"] = macd["macdsignal"]
        dataframe["strength"] = np.where(
            dataframe["macd"] > dataframe["macdsignal"],
            dataframe["macd"] - dataframe["macdsignal"],
            np.NaN,
        )
        return dataframe

    def populate_buy_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (qtpylib.crossed_above(dataframe["macd"], dataframe["macdsignal"]))
            & (dataframe["close_4h"] > dataframe["ema50_4h"])
            & (dataframe["volume"] > 0),
            "buy",
        ] = 1
        return dataframe

    def populate_sell_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_below(dataframe["macd"], dataframe["macdsignal"]), "sell"
        ] = 1
        return dataframe
