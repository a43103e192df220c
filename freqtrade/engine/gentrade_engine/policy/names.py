# The name and attribute rules, applied to every node of the file: forbidden
# builtins, dunder and frame attributes, file I/O and string-evaluation methods of
# the allowed libraries, getattr-style access by computed name, and modules passed
# around as values (which would let `x = logging; x.config` dodge the import rules).

from __future__ import annotations

import ast
import unicodedata

from gentrade_engine.policy import rules
from gentrade_engine.policy.imports import Origins, check_import, qualified
from gentrade_engine.policy.violation import Violation


def _norm(name: str) -> str:
    # Python folds identifiers with NFKC ('ｅｘｅｃ' is exec); strings are folded too, to be safe.
    return unicodedata.normalize("NFKC", name)


def attribute_problem(name: str) -> tuple[str, str] | None:
    """(rule, reason) when `obj.<name>` is not allowed."""
    name = _norm(name)
    if rules.DUNDER_RE.match(name) and name not in rules.ALLOWED_DUNDERS:
        return "dunder-attribute", f"the attribute '{name}' reaches into Python's internals"
    if name in rules.INTROSPECTION_ATTRIBUTES:
        return "introspection-attribute", f"the attribute '{name}' exposes interpreter frames or code"
    if rules.is_io_attribute(name):
        return "forbidden-attribute", f"'{name}' reads or writes files or evaluates code from a string"
    return None


class NameRules(ast.NodeVisitor):
    def __init__(self, origins: Origins, module_names: set[str]) -> None:
        self.origins = origins
        self.module_names = module_names
        self.found: list[Violation] = []
        self._attribute_roots: set[int] = set()

    def _add(self, node: ast.AST, rule: str, message: str) -> None:
        self.found.append(Violation(getattr(node, "lineno", 1), rule, message))

    def visit_Import(self, node: ast.Import) -> None:
        self.found.extend(check_import(node))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.extend(check_import(node))
        for alias in node.names:
            problem = attribute_problem(alias.name) if alias.name != "*" else None
            if problem:
                self._add(node, problem[0], f"Importing {node.module}.{alias.name} is not allowed: {problem[1]}.")

    def visit_Name(self, node: ast.Name) -> None:
        name = _norm(node.id)
        if name in rules.FORBIDDEN_NAMES:
            self._add(node, "forbidden-name", f"'{name}' is not allowed in a strategy.")
        elif rules.DUNDER_RE.match(name) and name not in rules.ALLOWED_DUNDERS:
            self._add(node, "dunder-name", f"The name '{name}' reaches into Python's internals.")
        elif rules.is_io_attribute(name) and name in self.origins:
            self._add(node, "forbidden-attribute", f"'{name}' reads or writes files or evaluates code from a string.")
        elif name in self.module_names and id(node) not in self._attribute_roots:
            self._add(
                node,
                "module-alias",
                f"The module '{name}' is used as a value; use its functions directly (e.g. {name}.something).",
            )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name):
            self._attribute_roots.add(id(node.value))
        problem = attribute_problem(node.attr)
        if problem:
            self._add(node, problem[0], f"Using .{_norm(node.attr)} is not allowed: {problem[1]}.")
        dotted = qualified(node, self.origins)
        if dotted and not rules.module_allowed(dotted):
            self._add(node, "forbidden-import", f"'{dotted}' is outside the modules a strategy may use.")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        callee = node.func
        name = _norm(callee.id) if isinstance(callee, ast.Name) else None
        if name in rules.DYNAMIC_ATTRIBUTE_CALLS:
            self._check_dynamic(node, name)
        self.generic_visit(node)

    def _check_dynamic(self, node: ast.Call, name: str) -> None:
        target = node.args[1] if len(node.args) > 1 else None
        if not isinstance(target, ast.Constant) or not isinstance(target.value, str):
            self._add(node, "dynamic-attribute", f"{name}() needs the attribute name written as a plain string.")
            return
        problem = attribute_problem(target.value)
        if problem:
            self._add(node, "dynamic-attribute", f"{name}() with '{target.value}' is not allowed: {problem[1]}.")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            for match in rules.DUNDER_IN_TEXT_RE.findall(_norm(node.value)):
                if match not in rules.ALLOWED_DUNDERS:
                    self._add(node, "dunder-string", f"The text '{match}' names a Python internal.")
                    break

    def _check_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        name = _norm(node.name)
        if rules.DUNDER_RE.match(name) and name not in rules.ALLOWED_DUNDER_DEFS:
            self._add(node, "dunder-definition", f"Defining '{name}' is not allowed: Python would call it implicitly.")
        self.generic_visit(node)

    visit_FunctionDef = _check_def
    visit_AsyncFunctionDef = _check_def

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.keywords:
            keywords = ", ".join(k.arg or "**" for k in node.keywords)
            self._add(node, "class-keywords", f"The class {node.name} passes '{keywords}'; metaclasses and class keywords run code at import.")
        self.generic_visit(node)


def check_names(tree: ast.Module, origins: Origins, module_names: set[str]) -> list[Violation]:
    visitor = NameRules(origins, module_names)
    visitor.visit(tree)
    return visitor.found
