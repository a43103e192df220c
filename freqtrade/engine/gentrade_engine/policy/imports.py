# The import rules, and the table of which local names stand for which modules or
# imported objects (`ta` -> talib.abstract), which the other rules use to resolve
# `pd.read_csv` or `logging.config` to what they really are.

from __future__ import annotations

import ast
from functools import lru_cache

from gentrade_engine.policy import modules as module_table
from gentrade_engine.policy.attributes import attribute_problem
from gentrade_engine.policy.database import name_database_problem
from gentrade_engine.policy.module_paths import path_problem, star_names
from gentrade_engine.policy.violation import Violation

Origins = dict[str, str]
_path_problem = lru_cache(maxsize=512)(path_problem)


def _refused(line: int, dotted: str, is_module: bool = True) -> list[Violation]:
    problem = module_table.import_problem(dotted, is_module)
    return [Violation(line, *problem)] if problem else []


def _idle(found: list[Violation], bound: list[str], used: set[str]) -> bool:
    """An import of an installed module that is refused but never used (a leftover
    `import os` at the top of a community file) runs only that library's own import."""
    return all(v.rule == "forbidden-import" for v in found) and not set(bound) & used


def _bound(alias: ast.alias, from_import: bool) -> str:
    return alias.asname or (alias.name if from_import else alias.name.split(".")[0])


def check_import(node: ast.Import | ast.ImportFrom, used: set[str]) -> list[Violation]:
    """Violations of one import statement; `used` holds every name the file reads."""
    found: list[Violation] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            refused = _refused(node.lineno, alias.name)
            if not _idle(refused, [_bound(alias, False)], used):
                found.extend(refused)
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
    if all(f"{module}.{a.name}" in module_table.ALIASES for a in node.names):
        return []  # `from numpy.lib import math` is the standard library's math
    refused = _refused(node.lineno, module)
    if refused:
        bound = [_bound(a, True) for a in node.names]
        return [] if "*" not in bound and _idle(refused, bound, used) else refused
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


def check_import_from(node: ast.ImportFrom, used: set[str]) -> list[Violation]:
    """check_import, then each imported name: not a refused attribute, not init_db, and not a
    door out of the module (`from logging import os`)."""
    found = check_import(node, used)
    module = node.module or ""
    if node.level or (not found and module_table.import_problem(module)):
        return found  # relative, or a refused module nobody uses
    for alias in node.names:
        dotted = f"{module}.{alias.name}"
        if alias.name == "*" or dotted in module_table.ALIASES:
            continue
        problem = attribute_problem(alias.name) or name_database_problem(alias.name, None)
        if problem:
            message = f"Importing {dotted} is not allowed: {problem[1]}."
            found.append(Violation(node.lineno, problem[0], message))
        elif not found:
            reason = _path_problem(dotted)
            if reason:
                message = f"Importing {dotted} is not allowed: {reason}."
                found.append(Violation(node.lineno, "module-traversal", message))
    return found


def read_names(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _imports_in_order(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def collect_origins(tree: ast.Module) -> tuple[Origins, set[str]]:
    """Local name -> dotted origin for every import, and the names bound to modules. Imports
    are read in the file's order, so `import datetime` then `from datetime import datetime`
    leaves `datetime` the class, as Python would."""
    origins: Origins = {}
    modules: set[str] = set()
    for node in _imports_in_order(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = _bound(alias, False)
                origins[name] = alias.name if alias.asname else name
                modules.add(name)
        elif not node.level and node.module:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if alias.name != "*":
                    name = _bound(alias, True)
                    origins[name] = module_table.ALIASES.get(dotted, dotted)
                    if dotted in module_table.ALIASES:
                        modules.add(name)
                    else:
                        modules.discard(name)
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
