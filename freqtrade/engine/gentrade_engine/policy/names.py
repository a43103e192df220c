# The name and attribute rules, applied to every node of the file: forbidden builtins,
# call-only builtins used as values (`g = getattr`), underscore, frame and file/process
# attributes, paths through an allowed module to one that is not (`logging.os`), modules
# passed around as values (`x = logging; x.config`), Freqtrade's database, and the call checks
# of calls.py. The file's own private helpers (`self._cache`, `def _helper`) are its business.

from __future__ import annotations

import ast
from functools import lru_cache

from gentrade_engine.policy import rules
from gentrade_engine.policy.attributes import attribute_problem, norm
from gentrade_engine.policy.calls import (
    dispatch_problems,
    dynamic_problem,
    format_problem,
    is_super_call,
    restricted_call_problem,
)
from gentrade_engine.policy.database import attribute_database_problem, name_database_problem
from gentrade_engine.policy.imports import (
    Origins,
    check_import,
    check_import_from,
    qualified,
    read_names,
)
from gentrade_engine.policy.module_paths import is_module, path_problem
from gentrade_engine.policy.modules import INDICATOR_MODULES, module_passable
from gentrade_engine.policy.own_code import OwnCode, own_code, string_statements
from gentrade_engine.policy.violation import Violation

_path_problem = lru_cache(maxsize=512)(path_problem)
_is_module = lru_cache(maxsize=512)(is_module)


class NameRules(ast.NodeVisitor):
    def __init__(self, origins: Origins, module_names: set[str], own: OwnCode) -> None:
        self.origins = origins
        self.module_names = module_names
        self.own = own
        self.found: list[Violation] = []
        self.docstrings: set[int] = set()
        self.used: set[str] = set()
        self._attribute_roots: set[int] = set()
        self._inner_attributes: set[int] = set()
        self._checked_callees: set[int] = set()
        self._called: set[int] = set()
        self._class_name_reads: set[int] = set()
        self._in_method: list[bool] = [False]

    def _add(self, node: ast.AST, rule: str, message: str) -> None:
        self.found.append(Violation(getattr(node, "lineno", 1), rule, message))

    def visit_Import(self, node: ast.Import) -> None:
        self.found.extend(check_import(node, self.used))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.extend(check_import_from(node, self.used))

    def visit_Name(self, node: ast.Name) -> None:
        name = norm(node.id)
        database = name_database_problem(name, self.origins.get(name))
        if name in rules.FORBIDDEN_NAMES:
            self._add(node, "forbidden-name", f"'{name}' is not allowed in a strategy.")
        elif name in rules.CALL_ONLY_NAMES and id(node) not in self._checked_callees:
            self._add(
                node,
                "forbidden-name",
                f"'{name}' may only be called directly, as {name}(...), not used as a value.",
            )
        elif (
            rules.DUNDER_RE.match(name)
            and name not in rules.ALLOWED_DUNDERS
            and name not in self.own.metadata
        ):
            self._add(node, "dunder-name", f"The name '{name}' reaches into Python's internals.")
        elif database and isinstance(node.ctx, ast.Load):
            self._add(node, database[0], f"Using {name} is not allowed: {database[1]}.")
        elif rules.is_io_attribute(name) and name in self.origins:
            self._add(
                node,
                "forbidden-attribute",
                f"'{name}' reads or writes files or evaluates code from a string.",
            )
        elif id(node) not in self._attribute_roots and self._names_module(name):
            self._add(
                node,
                "module-alias",
                f"The module '{name}' is used as a value; "
                f"use its functions directly (e.g. {name}.something).",
            )

    def _names_module(self, name: str) -> bool:
        if name in self.module_names:
            return True
        return name in self.origins and _is_module(self.origins[name])

    def _attribute_problem(self, node: ast.Attribute, attr: str) -> tuple[str, str] | None:
        dotted = qualified(node, self.origins)
        if dotted in rules.QUALIFIED_OK:
            return None
        problem = attribute_problem(attr)
        if problem and problem[0] == "private-attribute":
            in_method = self._in_method[-1] or not (
                isinstance(node.value, ast.Name) and node.value.id == "self"
            )
            if in_method and self.own.owns_private(node.value, attr):
                return None  # the strategy's own helper or cache
        if attr == "open" and id(node) not in self._called:
            return None  # reading the candle column (`dataframe.open`), not opening a file
        if attr == "__class__" and id(node) in self._class_name_reads:
            return None  # `self.__class__.__name__`, a string
        if attr == "__init__" and not is_super_call(node.value, self.own.classes):
            return ("dunder-attribute", "'__init__' may only be used as super().__init__(...)")
        return problem or attribute_database_problem(node, self.origins)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            self._attribute_roots.add(id(node.value))
        if isinstance(node.value, ast.Attribute):
            self._inner_attributes.add(id(node.value))
            if node.attr == "__name__" and node.value.attr == "__class__":
                self._class_name_reads.add(id(node.value))
        attr = norm(node.attr)
        problem = self._attribute_problem(node, attr)
        if problem:
            self._add(node, problem[0], f"Using .{attr} is not allowed: {problem[1]}.")
        if attr in rules.FORMAT_METHODS:
            reason = format_problem(node)
            if reason:
                self._add(node, "format-string", f"Using .{attr} here is not allowed: {reason}.")
        dotted = qualified(node, self.origins)
        if dotted:
            self._check_module_path(node, dotted)
        self.generic_visit(node)

    def _check_module_path(self, node: ast.Attribute, dotted: str) -> None:
        if not module_passable(dotted):
            self._add(
                node, "forbidden-import", f"'{dotted}' is outside the modules a strategy may use."
            )
            return
        if id(node) in self._inner_attributes:
            return  # the outermost attribute of the chain checks the whole path
        reason = _path_problem(dotted)
        if reason:
            self._add(node, "module-traversal", f"'{ast.unparse(node)}' is not allowed: {reason}.")
        elif _is_module(dotted):
            self._add(
                node,
                "module-alias",
                f"The module '{ast.unparse(node)}' is used as a value; use its functions directly.",
            )

    def visit_Call(self, node: ast.Call) -> None:
        callee = node.func
        self._called.add(id(callee))
        name = norm(callee.id) if isinstance(callee, ast.Name) else None
        if name in rules.CALL_ONLY_NAMES and name not in self.origins:
            self._checked_callees.add(id(callee))
            if name in rules.DYNAMIC_ATTRIBUTE_CALLS:
                reason = dynamic_problem(node, name, self._free_receiver(node, name))
                if reason:
                    self._add(node, "dynamic-attribute", f"{reason}.")
            else:
                reason = restricted_call_problem(node, name, self.own.classes)
                if reason:
                    self._add(node, "forbidden-name", f"{name}(...) is not allowed here: {reason}.")
        for where, rule, message in dispatch_problems(node):
            self._add(where, rule, message)
        self.generic_visit(node)

    def _free_receiver(self, call: ast.Call, name: str) -> bool:
        """Receivers a computed attribute name may be used on: the strategy's own `self` (in a
        method, never rebound), and for getattr an indicator library's module, whose functions
        strategies pick by name (`getattr(ta, pattern)` over TA-Lib's pattern list); that
        module is then not a value passed around."""
        receiver = call.args[0] if call.args else None
        if not isinstance(receiver, ast.Name):
            return False
        if receiver.id == "self":
            return "self" in self.own.fixed_receivers and self._in_method[-1]
        if name != "getattr" or self.origins.get(receiver.id) not in INDICATOR_MODULES:
            return False
        self._attribute_roots.add(id(receiver))
        return True

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings:
            for match in rules.DUNDER_IN_TEXT_RE.findall(norm(node.value)):
                if match not in rules.ALLOWED_DUNDERS:
                    self._add(node, "dunder-string", f"The text '{match}' names a Python internal.")
                    break

    def _check_def(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool = False
    ) -> None:
        name = norm(node.name)
        if rules.DUNDER_RE.match(name) and name not in rules.ALLOWED_DUNDER_DEFS:
            self._add(
                node,
                "dunder-definition",
                f"Defining '{name}' is not allowed: Python would call it implicitly.",
            )
        first = node.args.posonlyargs + node.args.args
        self._in_method.append(in_class and bool(first) and first[0].arg == "self")
        self.generic_visit(node)
        self._in_method.pop()

    visit_FunctionDef = _check_def
    visit_AsyncFunctionDef = _check_def

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._in_method.append(False)
        self.generic_visit(node)
        self._in_method.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.keywords:
            keywords = ", ".join(k.arg or "**" for k in node.keywords)
            self._add(
                node,
                "class-keywords",
                f"The class {node.name} passes '{keywords}'; "
                "metaclasses and class keywords run code at import.",
            )
        for child in [*node.bases, *(k.value for k in node.keywords), *node.decorator_list]:
            self.visit(child)
        self._in_method.append(False)
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                self._check_def(stmt, in_class=True)
            else:
                self.visit(stmt)
        self._in_method.pop()


def check_names(tree: ast.Module, origins: Origins, module_names: set[str]) -> list[Violation]:
    visitor = NameRules(origins, module_names, own_code(tree))
    visitor.docstrings = string_statements(tree)
    visitor.used = read_names(tree)
    visitor.visit(tree)
    return visitor.found
