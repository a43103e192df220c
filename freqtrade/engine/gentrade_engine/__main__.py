# Command-line entry: `python -m gentrade_engine <subcommand>` (gen-data, gen-markets, backtest,
# hyperopt, validate, serve, version).
# Each subcommand imports its dependencies only when chosen, to keep startup lean.

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    from gentrade_engine.pairs import DEFAULT_END, DEFAULT_START
    from gentrade_engine.server.probe import MODES

    parser = argparse.ArgumentParser(
        prog="gentrade_engine", description="GenTrade's Freqtrade engine worker."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    gen_data = commands.add_parser("gen-data", help="write deterministic synthetic OHLCV data")
    gen_data.add_argument("--out", required=True, help="directory for the feather files")
    gen_data.add_argument("--start", default=DEFAULT_START, help="first UTC day (YYYY-MM-DD)")
    gen_data.add_argument("--end", default=DEFAULT_END, help="last UTC day, inclusive")
    gen_data.add_argument("--pairs", default=None, help="comma-separated subset, e.g. BTC/USDT")

    gen_markets = commands.add_parser("gen-markets", help="write the offline markets snapshot")
    gen_markets.add_argument("--out", required=True, help="JSON file to write")

    commands.add_parser("backtest", help="run one backtest; JSON request on stdin")
    commands.add_parser("hyperopt", help="run one hyperopt; JSON request on stdin")
    commands.add_parser("validate", help="validate a strategy file; JSON request on stdin")
    commands.add_parser("version", help="print the Freqtrade version installed, as one JSON line")
    serve = commands.add_parser("serve", help="warm server; JSON-lines requests on stdin")
    serve.add_argument("--slots", type=int, default=2, help="requests run at the same time")
    # Tests and benchmarks only (see server/probe.py); users always get "full".
    serve.add_argument("--isolation", choices=MODES, default="full")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "gen-data":
        from gentrade_engine.synth.data import run as run_gen_data

        try:
            return run_gen_data(args.out, args.start, args.end, args.pairs)
        except (ValueError, KeyError) as err:
            print(f"gen-data: {err}", file=sys.stderr)
            return 2
    if args.command == "validate":
        from gentrade_engine.validate.cli import main as run_validate

        return run_validate()
    if args.command == "version":
        # Read from the installed distribution's metadata: Freqtrade itself is not imported.
        import json
        from importlib.metadata import version

        print(json.dumps({"freqtrade": version("freqtrade")}))
        return 0
    if args.command == "gen-markets":
        from gentrade_engine.synth.markets import run as run_gen_markets

        return run_gen_markets(args.out)
    if args.command == "serve":
        from gentrade_engine.server.loop import serve

        return serve(max(1, args.slots), args.isolation)
    if args.command == "hyperopt":
        from gentrade_engine.hyperopt.run import main as run_hyperopt

        return run_hyperopt()
    from gentrade_engine.backtest.run import main as run_backtest

    return run_backtest()


if __name__ == "__main__":
    sys.exit(main())
