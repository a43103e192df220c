# The `backtest` subcommand: one JSON request in, Freqtrade's own stored result out.
