# Command-line entry: `python -m gentrade_engine <gen-data|gen-markets|backtest>`.
# Each subcommand imports its dependencies only when chosen, to keep startup lean.

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    from gentrade_engine.pairs import DEFAULT_END, DEFAULT_START

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "gen-data":
        from gentrade_engine.gen_data import run as run_gen_data

        try:
            return run_gen_data(args.out, args.start, args.end, args.pairs)
        except (ValueError, KeyError) as err:
            print(f"gen-data: {err}", file=sys.stderr)
            return 2
    if args.command == "gen-markets":
        from gentrade_engine.gen_markets import run as run_gen_markets

        return run_gen_markets(args.out)
    from gentrade_engine.backtest.run import main as run_backtest

    return run_backtest()


if __name__ == "__main__":
    sys.exit(main())
