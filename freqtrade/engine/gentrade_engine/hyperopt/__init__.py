# Freqtrade's hyperopt, run in-process in the same sandboxed child as a backtest.
