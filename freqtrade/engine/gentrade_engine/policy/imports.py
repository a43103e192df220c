# The import rules, and the table of which local names stand for which modules or
# imported objects (`ta` -> talib.abstract), which the other rules use to resolve
# `pd.read_csv` or `logging.config` to what they really are.

from __future__ import annotations

import ast

from gentrade_engine.policy import modules as module_table
from gentrade_engine.policy.module_paths import star_names
from gentrade_engine.policy.violation import Violation

Origins = dict[str, str]


def _refused(line: int, dotted: str, is_module: bool = True) -> list[Violation]:
    problem = module_table.import_problem(dotted, is_module)
    return [Violation(line, *problem)] if problem else []


def check_import(node: ast.Import | ast.ImportFrom) -> list[Violation]:
    found: list[Violation] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            found.extend(_refused(node.lineno, alias.name))
        return found
    if node.level:
        target = "." * node.level + (node.module or "")
        return [
            Violation(
                node.lineno,
                "relative-import",
                f"The relative import from '{target}' is not allowed; a strategy is a single file.",
            )
        ]
    module = node.module or ""
    refused = _refused(node.lineno, module)
    if refused:
        return refused
    for alias in node.names:
        if alias.name == "*":
            if module not in module_table.STAR_IMPORT_OK:
                found.append(
                    Violation(
                        node.lineno,
                        "star-import",
                        f"'from {module} import *' is not allowed; import the names you use.",
                    )
                )
        else:
            found.extend(_refused(node.lineno, f"{module}.{alias.name}", is_module=False))
    return found


def collect_origins(tree: ast.Module) -> tuple[Origins, set[str]]:
    """Local name -> dotted origin for every import, and the names bound to modules."""
    origins: Origins = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    origins[alias.asname] = alias.name
                    modules.add(alias.asname)
                else:
                    top = alias.name.split(".")[0]
                    origins[top] = top
                    modules.add(top)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                if alias.name != "*":
                    origins[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif node.module in module_table.STAR_IMPORT_OK:
                    # `from freqtrade.strategy import *`: IStrategy, IntParameter... by name
                    for name in star_names(node.module):
                        origins.setdefault(name, f"{node.module}.{name}")
    return origins, modules


def qualified(node: ast.expr, origins: Origins) -> str | None:
    """`pd.read_csv` -> 'pandas.read_csv' when the chain starts at an imported name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in origins:
        return ".".join([origins[node.id], *reversed(parts)])
    return None
