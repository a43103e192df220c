# What may run when the file is imported (Freqtrade imports it to find the class):
# module and class bodies execute, and so do decorators, default arguments and
# annotations. The rule: the module body holds only imports, function and class
# definitions, a docstring and assignments of inert values; class bodies the same
# (hyperopt parameters such as IntParameter(...) are allowed calls); decorators come
# from the builtins or allowed modules with inert arguments; defaults and annotations
# are inert. Everything that does work (calls, loops, with, comprehensions, walrus)
# belongs inside methods, which Freqtrade calls under the engine's limits.

from __future__ import annotations

import ast

from gentrade_engine.policy import rules
from gentrade_engine.policy.imports import Origins, qualified
from gentrade_engine.policy.violation import Violation

_INERT_LEAVES = (ast.Constant, ast.Name)


class ImportTimeRules:
    def __init__(self, origins: Origins) -> None:
        self.origins = origins
        self.found: list[Violation] = []

    def _add(self, node: ast.AST, rule: str, message: str) -> None:
        self.found.append(Violation(getattr(node, "lineno", 1), rule, message))

    # -- values ---------------------------------------------------------------------------
    def inert(self, node: ast.expr | None) -> bool:
        """True when evaluating the expression cannot run strategy-chosen code."""
        if node is None or isinstance(node, _INERT_LEAVES):
            return True
        if isinstance(node, ast.Attribute):
            return self.inert(node.value)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return all(self.inert(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.inert(k) for k in node.keys) and all(self.inert(v) for v in node.values)
        if isinstance(node, ast.UnaryOp):
            return self.inert(node.operand)
        if isinstance(node, ast.BinOp):
            return self.inert(node.left) and self.inert(node.right)
        if isinstance(node, ast.BoolOp):
            return all(self.inert(v) for v in node.values)
        if isinstance(node, ast.Compare):
            return self.inert(node.left) and all(self.inert(c) for c in node.comparators)
        if isinstance(node, ast.IfExp):
            return self.inert(node.test) and self.inert(node.body) and self.inert(node.orelse)
        if isinstance(node, ast.Subscript):
            return self.inert(node.value) and self.inert(node.slice)
        if isinstance(node, ast.Slice):
            return self.inert(node.lower) and self.inert(node.upper) and self.inert(node.step)
        if isinstance(node, ast.JoinedStr):
            return all(self.inert(v) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.inert(node.value) and self.inert(node.format_spec)
        if isinstance(node, ast.Lambda):
            return self._inert_arguments(node.args)
        if isinstance(node, ast.Starred):
            return self.inert(node.value)
        if isinstance(node, ast.Call):
            return self._allowed_call(node)
        return False

    def _allowed_call(self, node: ast.Call) -> bool:
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in rules.IMPORT_TIME_BUILTINS
            and func.id not in self.origins
        ):
            pass
        else:
            dotted = qualified(func, self.origins)
            if not dotted or dotted.split(".")[-1] not in rules.IMPORT_TIME_CALLS:
                return False
        return all(self.inert(a) for a in node.args) and all(
            self.inert(k.value) for k in node.keywords
        )

    def _inert_arguments(self, args: ast.arguments) -> bool:
        return all(self.inert(d) for d in [*args.defaults, *args.kw_defaults])

    # -- statements -----------------------------------------------------------------------
    def check_body(self, body: list[ast.stmt], where: str) -> None:
        for index, stmt in enumerate(body):
            if isinstance(stmt, ast.Import | ast.ImportFrom | ast.Pass):
                continue
            if (
                isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Constant)
                and (index == 0 or stmt.value.value is Ellipsis)
            ):
                continue
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                self._check_function(stmt)
            elif isinstance(stmt, ast.ClassDef):
                self._check_class(stmt)
            elif isinstance(stmt, ast.Assign | ast.AnnAssign):
                self._check_assign(stmt, where)
            elif isinstance(stmt, ast.If) and self.inert(stmt.test):
                self.check_body(stmt.body, where)
                self.check_body(stmt.orelse, where)
            elif isinstance(stmt, ast.Try) and not stmt.finalbody:
                self.check_body(stmt.body, where)
                for handler in stmt.handlers:
                    self.check_body(handler.body, where)
                self.check_body(stmt.orelse, where)
            else:
                kind = type(stmt).__name__.lower()
                self._add(
                    stmt,
                    "import-time-code",
                    f"A '{kind}' statement {where} would run as soon as the file is imported; "
                    "move it into a method.",
                )

    def _check_assign(self, stmt: ast.Assign | ast.AnnAssign, where: str) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        plain = all(isinstance(t, ast.Name | ast.Tuple) for t in targets)
        if isinstance(stmt, ast.AnnAssign) and not self.inert(stmt.annotation):
            plain = False
        if not plain or not self.inert(stmt.value):
            names = ", ".join(ast.unparse(t) for t in targets)
            self._add(
                stmt,
                "import-time-code",
                f"The value assigned to {names} {where} runs code at import time; only constants, "
                "hyperopt parameters and similar plain values may be set there.",
            )

    def _check_decorators(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            from_builtin = isinstance(target, ast.Name) and target.id in rules.DECORATOR_BUILTINS
            imported = qualified(target, self.origins) is not None
            args_ok = not isinstance(decorator, ast.Call) or (
                all(self.inert(a) for a in decorator.args)
                and all(self.inert(k.value) for k in decorator.keywords)
            )
            if not (from_builtin or imported) or not args_ok:
                self._add(
                    decorator,
                    "import-time-decorator",
                    f"The decorator '{ast.unparse(decorator)}' on {node.name} "
                    "runs code at import time; "
                    "only decorators from Freqtrade or the allowed libraries may be used.",
                )

    def _check_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._check_decorators(node)
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        annotations = [a.annotation for a in every if a is not None] + [node.returns]
        if not self._inert_arguments(args):
            self._add(
                node,
                "import-time-code",
                f"A default argument of {node.name} runs code at import time.",
            )
        if not all(self.inert(a) for a in annotations):
            self._add(
                node, "import-time-code", f"An annotation of {node.name} runs code at import time."
            )

    def _check_class(self, node: ast.ClassDef) -> None:
        self._check_decorators(node)
        for base in node.bases:
            if not isinstance(base, ast.Name | ast.Attribute) or not self.inert(base):
                self._add(
                    base,
                    "import-time-code",
                    f"The base class expression of {node.name} runs code at import time.",
                )
        self.check_body(node.body, f"in the body of class {node.name}")


def check_import_time(tree: ast.Module, origins: Origins) -> list[Violation]:
    checker = ImportTimeRules(origins)
    checker.check_body(tree.body, "at the top of the file")
    return checker.found
