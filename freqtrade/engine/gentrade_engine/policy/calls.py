# Calls that take an attribute name as data and so could dodge the attribute rules:
# getattr/setattr/hasattr, `"{0.x}".format(obj)`, and pandas methods that call a method
# named by a string (`df.agg("to_pickle", path)`). Also the restricted built-ins that are
# harmless only in one call shape: `type(x)`, `super()` / `super(OwnClass, self)`, and
# `open(path)` for reading (what it may read is the sandbox's business; writing is intent).

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


def _pieces(node: ast.expr) -> list[str | None] | None:
    """The parts of a name built in the text: f-string values or `+` operands, literal text as
    str and computed parts as None; None when the name is not built in place (a variable)."""
    if isinstance(node, ast.JoinedStr):
        return [_literal(v) for v in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _pieces(node.left), _pieces(node.right)
        return [*(left or [None]), *(right or [None])]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [_literal(node)]
    return None


def _pinned(pieces: list[str | None]) -> bool:
    """`f"buy_{x}"` or `f"{side}_rsi"`: a plain-text head or tail that pins the name away
    from every forbidden one (no leading `_`, no forbidden name fits)."""
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


def dynamic_problem(call: ast.Call, name: str, free_receiver: bool) -> str | None:
    """Why getattr/setattr/hasattr(obj, name, ...) is refused, or None.

    A literal name passes the attribute rules. A name computed on the strategy's own `self` or
    an indicator library (`free_receiver`: `getattr(self, param)`, `getattr(ta, pattern)`) is
    the strategy's business: the operating system is the boundary. Elsewhere the text must pin
    the name (`f"ema_{n}"`).
    A name whose written parts hold `__` reaches for Python's internals wherever it is used.
    """
    if len(call.args) < 2 or call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return f"{name}() needs an object and the attribute name"
    target = call.args[1]
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        reason = _name_problem(target.value)
        return f"{name}() with '{target.value}' is not allowed: {reason}" if reason else None
    pieces = _pieces(target)
    if pieces is not None and any(p is not None and "__" in p for p in pieces):
        return f"{name}() builds a name with '__', which reaches into Python's internals"
    if free_receiver or (pieces is not None and _pinned(pieces)):
        return None
    return (
        f"{name}() on anything but the strategy's own self needs the attribute name written "
        "in the call, as a plain string or with plain text around it such as f'ema_{n}'"
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


def _open_problem(call: ast.Call) -> str | None:
    mode = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
        elif keyword.arg is None or keyword.arg == "opener":
            return "open() may only take a path, a read mode and an encoding"
    if mode is None:
        return None
    if not isinstance(mode, ast.Constant) or not isinstance(mode.value, str):
        return "open() needs its mode written as a plain string such as 'r'"
    if set(mode.value) & set("wax+"):
        return f"open(..., '{mode.value}') writes a file; a strategy only reads its data"
    return None


def restricted_call_problem(call: ast.Call, name: str, own_classes: frozenset[str]) -> str | None:
    """type(x) with one argument, bare super() or super(OwnClass, self), and open() for reading
    are fine; other shapes are refused."""
    if name == "type" and (len(call.args) != 1 or call.keywords):
        return "type() with more than one argument builds a class at run time; use type(x) only"
    if name == "super" and (call.args or call.keywords):
        args = call.args
        own = (
            len(args) == 2
            and not call.keywords
            and isinstance(args[0], ast.Name)
            and args[0].id in own_classes
            and isinstance(args[1], ast.Name)
            and args[1].id in ("self", "cls")
        )
        return None if own else "write super() without arguments"
    if name == "open":
        return _open_problem(call)
    return None


def is_super_call(node: ast.expr, own_classes: frozenset[str]) -> bool:
    """`super()` or `super(OwnClass, self)`: the receiver `super().__init__(...)` needs."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
        and restricted_call_problem(node, "super", own_classes) is None
    )
