# The warm engine server: imports Freqtrade once, then runs each JSON-lines request in a forked,
# sandboxed child (see freqtrade/engine/README.md, "serve").
