# Freqtrade's database, refused as obvious intent (rule database-access): a strategy reads its
# trades through Trade's query helpers (Trade.get_trades_proxy, trade.orders) and never needs to
# open a database (`init_db`), hold the raw session (`Trade.session`) or send SQL (`.execute`).
# SQLite runs in C, where nothing but the operating system sees what a statement does (ATTACH
# of any path, load_extension), so the text stops the obvious ways in first.

from __future__ import annotations

import ast

from gentrade_engine.policy import rules

Origins = dict[str, str]  # as in imports.py, which uses this module

RULE = "database-access"


def name_database_problem(name: str, origin: str | None) -> tuple[str, str] | None:
    """`init_db`, imported or reached by name."""
    last = (origin or name).rsplit(".", 1)[-1]
    if name in rules.DATABASE_NAMES or last in rules.DATABASE_NAMES:
        return RULE, "init_db opens a database file; a backtest already has its own"
    return None


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def attribute_database_problem(node: ast.Attribute, origins: Origins) -> tuple[str, str] | None:
    """`.init_db`, `.execute` (raw SQL) and `.session` on a class imported from Freqtrade."""
    attr = node.attr
    if attr in rules.DATABASE_NAMES:
        return RULE, "init_db opens a database file; a backtest already has its own"
    if attr in rules.SQL_METHODS:
        return RULE, f"'.{attr}' sends raw SQL; read trades through Trade's helpers"
    if attr == "session":
        root = _root_name(node.value)
        if root is not None and origins.get(root, "").startswith("freqtrade."):
            return (
                RULE,
                "Trade.session is Freqtrade's raw database session; read trades through "
                "Trade.get_trades_proxy() or the trade objects Freqtrade hands the callbacks",
            )
    return None
