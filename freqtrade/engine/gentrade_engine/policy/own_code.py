# What the file defines itself, so the rules can tell a strategy's own names from a library's:
# the private helpers and attributes it gives its classes (`def _helper`, `self._cache = {}`),
# its classes, and the names bound to its own functions, classes and lambdas (calling one of
# those while the file is imported runs the file's code, which belongs in methods).

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

# The receivers whose private attributes may be the file's own: a method's instance or class.
OWN_RECEIVERS = frozenset({"self", "cls"})
# Module dunders Python itself reads or sets; any other `__x__ = "text"` at the top of the file
# is metadata (`__author__`, `__BTC_donation__`).
_PYTHON_DUNDERS = frozenset(
    {
        "__builtins__",
        "__loader__",
        "__spec__",
        "__package__",
        "__path__",
        "__file__",
        "__cached__",
        "__dict__",
        "__class__",
        "__annotations__",
        "__getattr__",
        "__dir__",
        "__doc__",
        "__module__",
        "__qualname__",
        "__slots__",
        "__build_class__",
        "__import__",
        "__debug__",
    }
)
_DUNDER_RE = re.compile(r"^__\w+__$")


@dataclass(frozen=True)
class OwnCode:
    private_names: frozenset[str]
    classes: frozenset[str]
    code_names: frozenset[str]
    # Of `self` and `cls`: those never rebound anywhere in the file, so each is always a method's
    # first parameter (`for self in [df]` would make `self._x` mean something else).
    fixed_receivers: frozenset[str]
    # `__x__` names the top of the file sets to a constant: metadata, plain strings.
    metadata: frozenset[str] = frozenset()

    def owns_private(self, receiver: ast.expr, attr: str) -> bool:
        """`self._x` / `cls._x` / `OwnClass._x` where the file itself defines `_x`."""
        if attr not in self.private_names or not isinstance(receiver, ast.Name):
            return False
        return receiver.id in self.fixed_receivers or receiver.id in self.classes


def _private_targets(node: ast.AST) -> list[str]:
    """`_x` names a class body binds, or `self._x` / `cls._x` attributes a method sets."""
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        return [node.id]
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in OWN_RECEIVERS
        and node.attr.startswith("_")
    ):
        return [node.attr]
    if isinstance(node, ast.Tuple | ast.List):
        return [n for e in node.elts for n in _private_targets(e)]
    return []


def _assign_targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


def own_code(tree: ast.Module) -> OwnCode:
    private: set[str] = set()
    classes: set[str] = set()
    code: set[str] = set()
    rebound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            classes.add(node.name)
            code.add(node.name)
            for stmt in node.body:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                    private.update([stmt.name] if stmt.name.startswith("_") else [])
                for target in _assign_targets(stmt):
                    private.update(_private_targets(target))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            code.add(node.name)
        for target in _assign_targets(node):
            if isinstance(target, ast.Attribute):
                private.update(_private_targets(target))
            elif isinstance(target, ast.Name) and isinstance(
                getattr(node, "value", None), ast.Lambda
            ):
                code.add(target.id)
        if (
            isinstance(node, ast.Name)
            and node.id in OWN_RECEIVERS
            and not isinstance(node.ctx, ast.Load)
        ):
            rebound.add(node.id)
    return OwnCode(
        frozenset(private),
        frozenset(classes),
        frozenset(code),
        OWN_RECEIVERS - frozenset(rebound),
        _metadata(tree),
    )


def string_statements(tree: ast.Module) -> set[int]:
    """ids of the file's string statements: docstrings and string 'comments'."""
    return {
        id(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
    }


def _metadata(tree: ast.Module) -> frozenset[str]:
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            for target in stmt.targets:
                if (
                    isinstance(target, ast.Name)
                    and _DUNDER_RE.match(target.id)
                    and target.id not in _PYTHON_DUNDERS
                ):
                    found.add(target.id)
    return frozenset(found)
