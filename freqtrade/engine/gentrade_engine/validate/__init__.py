# The `validate` subcommand: static policy, then load check, smoke backtest, zero-trade
# diagnosis and (on request) lookahead analysis in the shared sandbox (server/sandbox.py);
# also the server's `diagnose` command (diagnose_request.py).
