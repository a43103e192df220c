# Calls that take an attribute name as data and so could dodge the attribute rules:
# getattr/setattr/hasattr, `"{0.x}".format(obj)`, and pandas methods that call a method
# named by a string (`df.agg("to_pickle", path)`). Also the restricted built-ins that are
# harmless only in one call shape: `type(x)` and bare `super()`.

from __future__ import annotations

import ast
import string

from gentrade_engine.policy import rules
from gentrade_engine.policy.attributes import attribute_problem, norm

Problem = tuple[ast.AST, str, str]  # node, rule, message
_EXTRA_NAMES = frozenset({"format", "format_map", "mro"})


def _name_problem(text: str) -> str | None:
    problem = attribute_problem(text)
    if problem:
        return problem[1]
    return "it formats attributes named in a string" if norm(text) in _EXTRA_NAMES else None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return norm(node.value)
    return None


def _fstring_name_ok(node: ast.JoinedStr) -> bool:
    """`f"buy_{x}"` or `f"{side}_rsi"`: a plain-text head or tail that pins the name away
    from every forbidden one (no leading `_`, no dunder piece, no forbidden name fits)."""
    pieces = [_literal(v) for v in node.values]
    if any(p is not None and "__" in p for p in pieces):
        return False
    forbidden = [
        *rules.FORBIDDEN_ATTRIBUTES,
        *rules.INTROSPECTION_ATTRIBUTES,
        *_EXTRA_NAMES,
        "read_",
        "to_",
    ]
    head, tail = pieces[0] if pieces else None, pieces[-1] if pieces else None
    if head is not None and head.startswith("_"):
        return False
    if head is not None:
        return not any(
            f.startswith(head) or head.startswith(f) for f in [*forbidden, "exec", "spawn"]
        )
    if tail is not None and not tail.endswith("_"):
        return not any(f.endswith(tail) or tail.endswith(f) for f in forbidden)
    return False


def dynamic_problem(call: ast.Call, name: str, self_is_strategy: bool) -> str | None:
    """Why getattr/setattr/hasattr(obj, name, ...) is refused, or None."""
    if len(call.args) < 2 or call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return f"{name}() needs an object and the attribute name written as a plain string"
    receiver, target = call.args[0], call.args[1]
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        reason = _name_problem(target.value)
        return f"{name}() with '{target.value}' is not allowed: {reason}" if reason else None
    on_self = isinstance(receiver, ast.Name) and receiver.id == "self" and self_is_strategy
    if isinstance(target, ast.JoinedStr) and on_self and _fstring_name_ok(target):
        return None
    return (
        f"{name}() needs the attribute name written as a plain string "
        "(or, on self, an f-string with plain text around the name such as f'buy_{side}')"
    )


def _format_fields(text: str, depth: int = 0) -> bool:
    """True when every replacement field is a bare index or name (no `.attr`, no `[key]`)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return False
    for _literal, field, spec, _conversion in parsed:
        if field is not None and ("." in field or "[" in field):
            return False
        if spec and "{" in spec and (depth > 0 or not _format_fields(spec, depth + 1)):
            return False
    return True


def format_problem(node: ast.Attribute) -> str | None:
    """`<receiver>.format`: only a literal string whose fields read no attribute or item."""
    receiver = node.value
    if not isinstance(receiver, ast.Constant) or not isinstance(receiver.value, str):
        return ".format() is only allowed on a string written in the code; use an f-string"
    if not _format_fields(norm(receiver.value)):
        return "the format string reads an attribute or item inside a {field}; use an f-string"
    return None


def _dispatch_argument(node: ast.expr, found: list[Problem], method: str) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        reason = _name_problem(node.value)
        if reason:
            found.append(
                (node, "dynamic-attribute", f".{method}('{node.value}') is not allowed: {reason}.")
            )
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            _dispatch_argument(element, found, method)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            _dispatch_argument(value, found, method)
    elif isinstance(node, ast.JoinedStr | ast.BinOp):
        found.append(
            (node, "dynamic-attribute", f".{method}() needs method names written as plain strings.")
        )


def dispatch_problems(call: ast.Call) -> list[Problem]:
    found: list[Problem] = []
    if (
        isinstance(call.func, ast.Attribute)
        and norm(call.func.attr) in rules.STRING_DISPATCH_METHODS
    ):
        method = norm(call.func.attr)
        for arg in [
            *call.args,
            *(k.value for k in call.keywords if k.arg in (None, "func", "arg")),
        ]:
            _dispatch_argument(arg, found, method)
    return found


def restricted_call_problem(call: ast.Call, name: str) -> str | None:
    """type(x) with one argument and bare super() are fine; other shapes are refused."""
    if name == "type" and (len(call.args) != 1 or call.keywords):
        return "type() with more than one argument builds a class at run time; use type(x) only"
    if name == "super" and (call.args or call.keywords):
        return "write super() without arguments"
    return None
