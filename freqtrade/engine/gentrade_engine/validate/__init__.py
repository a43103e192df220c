# The `validate` subcommand: static policy, then load check, smoke backtest, zero-trade
# diagnosis and (on request) lookahead analysis in a resource-limited child process.
