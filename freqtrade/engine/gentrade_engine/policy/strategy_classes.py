# Finds the strategy classes without running anything: classes whose base is
# Freqtrade's IStrategy (by import) or another strategy class of the same file,
# and the timeframe a class sets as a literal, so the engine knows what to load.

from __future__ import annotations

import ast
from dataclasses import dataclass

from gentrade_engine.policy.imports import Origins, qualified
from gentrade_engine.policy.violation import Violation

_ISTRATEGY = "IStrategy"


@dataclass(frozen=True)
class StrategyClass:
    name: str
    line: int
    timeframe: str | None
    # The strategy class of this file it builds on, None for a direct IStrategy subclass.
    parent: str | None = None


def _literal_timeframe(node: ast.ClassDef) -> str | None:
    for stmt in node.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            if (
                any(isinstance(t, ast.Name) and t.id == "timeframe" for t in targets)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                return value.value
    return None


def find_strategy_classes(tree: ast.Module, origins: Origins) -> list[StrategyClass]:
    found: dict[str, StrategyClass] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            dotted = qualified(base, origins) or ""
            parent = base.id if isinstance(base, ast.Name) else None
            if (
                dotted.startswith("freqtrade.") and dotted.endswith(f".{_ISTRATEGY}")
            ) or parent in found:
                inherited = found[parent].timeframe if parent in found else None
                found[node.name] = StrategyClass(
                    node.name,
                    node.lineno,
                    _literal_timeframe(node) or inherited,
                    parent if parent in found else None,
                )
                break
    return list(found.values())


def choose_class(
    classes: list[StrategyClass], wanted: str | None, last_line: int
) -> tuple[StrategyClass | None, list[Violation]]:
    names = ", ".join(c.name for c in classes)
    if not classes:
        return None, [
            Violation(
                last_line,
                "no-strategy-class",
                "The file defines no class that subclasses Freqtrade's IStrategy "
                "(e.g. `class MyStrategy(IStrategy):` with "
                "`from freqtrade.strategy import IStrategy`).",
            )
        ]
    if wanted is not None:
        match = next((c for c in classes if c.name == wanted), None)
        if match is None:
            return None, [
                Violation(
                    1,
                    "strategy-class-missing",
                    f"The file has no strategy class named {wanted} (it defines: {names}).",
                )
            ]
        return match, []
    roots = [c for c in classes if c.parent is None]
    if len(classes) > 1 and len(roots) == 1:
        # A strategy and its variants (`class Slow(Base)`): the base is the strategy itself.
        return roots[0], []
    if len(classes) > 1:
        return None, [
            Violation(
                classes[1].line,
                "strategy-class-ambiguous",
                f"The file defines several strategy classes ({names}); say which one to use.",
            )
        ]
    return classes[0], []


def choice_note(
    chosen: StrategyClass, classes: list[StrategyClass], wanted: str | None
) -> str | None:
    """The sentence saying which of several classes was used, when nobody named one."""
    if wanted is not None or len(classes) < 2:
        return None
    others = ", ".join(c.name for c in classes if c is not chosen)
    return (
        f"The file defines several strategy classes; GenTrade used {chosen.name}, the one "
        f"the others ({others}) build on. Paste a variant on its own to use it instead."
    )
