# The static policy's entry point: decode, parse, then every rule over the tree.
# Nothing here imports or executes the candidate code (module paths are resolved
# against the allowed libraries only, module_paths.py). All violations are returned,
# sorted by line.

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from gentrade_engine.policy.import_time import check_import_time
from gentrade_engine.policy.imports import collect_origins
from gentrade_engine.policy.limits import MAX_DEPTH, check_limits, max_depth
from gentrade_engine.policy.names import check_names
from gentrade_engine.policy.source_bytes import decode_source
from gentrade_engine.policy.strategy_classes import (
    StrategyClass,
    choice_note,
    choose_class,
    find_strategy_classes,
)
from gentrade_engine.policy.violation import Violation


@dataclass(frozen=True)
class StaticVerdict:
    violations: list[Violation]
    strategy: StrategyClass | None = None
    classes: list[StrategyClass] = field(default_factory=list)
    # Sentences for the verdict of an accepted file (which class of several was used).
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.violations


def _parse(text: str) -> tuple[ast.Module | None, list[Violation]]:
    try:
        return ast.parse(text, type_comments=False), []
    except SyntaxError as err:
        line = err.lineno or 1
        return None, [
            Violation(
                line, "syntax-error", f"Line {line} is not valid Python: {err.msg.rstrip('.?')}."
            )
        ]
    except (RecursionError, MemoryError):
        return None, [
            Violation(1, "too-deeply-nested", "The code is nested too deeply to be read.")
        ]


def check_strategy_source(source: str | bytes, class_name: str | None = None) -> StaticVerdict:
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    text, found = decode_source(data)
    if text is None:
        return StaticVerdict(sorted(found))
    tree, found = _parse(text)
    if tree is None:
        return StaticVerdict(sorted(found))
    depth, line = max_depth(tree)
    if depth > MAX_DEPTH:
        message = f"The code is nested more than {MAX_DEPTH} levels deep."
        return StaticVerdict([Violation(line, "too-deeply-nested", message)])
    origins, module_names = collect_origins(tree)
    found = [
        *check_names(tree, origins, module_names),
        *check_import_time(tree, origins),
        *check_limits(tree),
    ]
    classes = find_strategy_classes(tree, origins)
    last_line = max((getattr(n, "end_lineno", 1) or 1 for n in tree.body), default=1)
    chosen, class_problems = choose_class(classes, class_name, last_line)
    found.extend(class_problems)
    note = choice_note(chosen, classes, class_name) if chosen else None
    return StaticVerdict(sorted(set(found)), chosen, classes, [note] if note else [])


def check_source(source: str | bytes, class_name: str | None = None) -> list[Violation]:
    """Every policy violation in the source, sorted by line (empty when accepted)."""
    return check_strategy_source(source, class_name).violations
