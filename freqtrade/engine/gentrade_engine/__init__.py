# GenTrade's Freqtrade engine worker: synthetic market data, an offline markets
# snapshot and a Freqtrade backtest runner that never touches the network.
# Subcommands live in __main__.py; each imports its heavy dependencies lazily.

__version__ = "0.1.0"
