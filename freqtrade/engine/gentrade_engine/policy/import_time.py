# What may run when the file is imported (Freqtrade imports it to find the class): module and
# class bodies execute, and so do decorators, default arguments and annotations. Importing runs in
# the same sandbox as the strategy's methods, so this is not a boundary; it keeps the file's own
# code where Freqtrade calls it, under its stage's name. The module body and class bodies hold
# imports, definitions, strings, assignments of values and calls of library functions
# (`warnings.simplefilter(...)`, `pd.options.mode.chained_assignment = None`,
# `startup_candle_count = max(200, slow * 3)`, `IntParameter(...)`, a `print(...)` statement);
# calling a function, class or lambda the file defines, loops, `with` and walrus belong in
# methods. Decorators come from the builtins or the imports; defaults and annotations are values.

from __future__ import annotations

import ast

from gentrade_engine.policy import rules
from gentrade_engine.policy.imports import Origins, qualified
from gentrade_engine.policy.own_code import OwnCode, own_code
from gentrade_engine.policy.violation import Violation

_INERT_LEAVES = (ast.Constant, ast.Name)


class ImportTimeRules:
    def __init__(self, origins: Origins, own: OwnCode) -> None:
        self.origins = origins
        self.own = own
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
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            return self.inert(node.elt) and self._inert_generators(node.generators)
        if isinstance(node, ast.DictComp):
            return (
                self.inert(node.key)
                and self.inert(node.value)
                and self._inert_generators(node.generators)
            )
        return False

    def _inert_generators(self, generators: list[ast.comprehension]) -> bool:
        return all(
            self.inert(g.iter) and all(self.inert(c) for c in g.ifs) and not g.is_async
            for g in generators
        )

    def _callee_ok(self, func: ast.expr) -> bool:
        """A built-in value maker, a function of an imported library, or a method of a value
        (`buy_params.get(...)`); never something the file itself defines."""
        if isinstance(func, ast.Name):
            if func.id in self.origins:
                return True
            return func.id in rules.IMPORT_TIME_BUILTINS and func.id not in self.own.code_names
        if isinstance(func, ast.Attribute):
            if qualified(func, self.origins):
                return True
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.own.code_names:
                return False
            return self.inert(func.value)
        return False

    def _allowed_call(self, node: ast.Call) -> bool:
        return (
            self._callee_ok(node.func)
            and all(self.inert(a) for a in node.args)
            and all(self.inert(k.value) for k in node.keywords)
        )

    def _library_statement(self, stmt: ast.stmt) -> bool:
        """`warnings.simplefilter(...)`, `pd.set_option(...)`: a bare call of an imported
        library's function, as community files make at the top to quiet warnings; or a
        `print(...)` of a message to whoever loads the file. (print stays out of values,
        defaults and annotations, where it would only be hiding.)"""
        if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
            return False
        call = stmt.value
        func = call.func
        printed = isinstance(func, ast.Name) and func.id == "print" and func.id not in self.origins
        library = isinstance(func, ast.Attribute) and qualified(func, self.origins) is not None
        args_inert = all(self.inert(a) for a in call.args) and all(
            self.inert(k.value) for k in call.keywords
        )
        return (printed and args_inert) or (library and self._allowed_call(call))

    def _inert_arguments(self, args: ast.arguments) -> bool:
        return all(self.inert(d) for d in [*args.defaults, *args.kw_defaults])

    # -- statements -----------------------------------------------------------------------
    def check_body(self, body: list[ast.stmt], where: str) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import | ast.ImportFrom | ast.Pass):
                continue
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstrings, string 'comments' between settings, `...`
            if self._library_statement(stmt):
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
        plain = all(self._plain_target(t) for t in targets)
        if isinstance(stmt, ast.AnnAssign) and not self.inert(stmt.annotation):
            plain = False
        if not plain or not self.inert(stmt.value):
            names = ", ".join(ast.unparse(t) for t in targets)
            self._add(
                stmt,
                "import-time-code",
                f"The value assigned to {names} {where} runs the file's own code (or a "
                "loop or a walrus) at import time; values, hyperopt parameters and library calls "
                "may be set there, the rest belongs in a method.",
            )

    def _plain_target(self, target: ast.expr) -> bool:
        """A name, a tuple of names, or a library setting (`pd.options.mode.x = None`)."""
        if isinstance(target, ast.Name):
            return True
        if isinstance(target, ast.Tuple | ast.List):
            return all(self._plain_target(e) for e in target.elts)
        return isinstance(target, ast.Attribute) and qualified(target, self.origins) is not None

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
    checker = ImportTimeRules(origins, own_code(tree))
    checker.check_body(tree.body, "at the top of the file")
    return checker.found
