# Resource rules that can be decided from the text: nesting deep enough to exhaust
# the parser or our own recursion, and constant expressions whose value alone
# would eat the CPU or memory (10**10**10, 'a' * 10**10, [0] * 10**9, 1 << 10**9).
# Loops and allocations that depend on data can't be judged here; the engine's
# CPU, memory and wall-clock limits stop those.

from __future__ import annotations

import ast

from gentrade_engine.policy.violation import Violation

MAX_DEPTH = 100
MAX_INT_BITS = 4096
MAX_SEQUENCE = 1_000_000


class _Huge(Exception):
    pass


def max_depth(tree: ast.AST) -> tuple[int, int]:
    """Deepest nesting of the tree and the line where it occurs (iterative: no recursion)."""
    deepest, line = 0, 1
    stack: list[tuple[ast.AST, int, int]] = [(tree, 0, 1)]
    while stack:
        node, depth, parent_line = stack.pop()
        here = getattr(node, "lineno", parent_line)
        if depth > deepest:
            deepest, line = depth, here
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1, here) for child in ast.iter_child_nodes(node))
    return deepest, line


def _size(value: object) -> int:
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, str | bytes | tuple | list):
        return len(value)
    return 0


def _fold(node: ast.expr) -> object:
    """The constant value of a constant expression, None if not constant; _Huge if too big."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        items = [_fold(e) for e in node.elts]
        return None if any(i is None for i in items) else items
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _fold(node.operand)
        return -value if isinstance(value, int | float) and isinstance(node.op, ast.USub) else value
    if not isinstance(node, ast.BinOp):
        return None
    left, right = _fold(node.left), _fold(node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
        if right > 0 and max(left.bit_length(), 1) * right > MAX_INT_BITS and abs(left) > 1:
            raise _Huge
    elif isinstance(node.op, ast.LShift) and isinstance(right, int) and right > MAX_INT_BITS:
        raise _Huge
    elif isinstance(node.op, ast.Mult):
        for seq, count in ((left, right), (right, left)):
            too_long = isinstance(seq, str | bytes | list) and isinstance(count, int)
            if too_long and _size(seq) * count > MAX_SEQUENCE:  # type: ignore[operator]
                raise _Huge
    try:
        if isinstance(node.op, ast.Pow | ast.LShift | ast.Mult | ast.Add | ast.Sub):
            folded = eval_binop(node.op, left, right)
            if _size(folded) > max(MAX_INT_BITS, MAX_SEQUENCE):
                raise _Huge
            return folded
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    return None


def eval_binop(op: ast.operator, left: object, right: object) -> object:
    # Only ever called once the size guards above have passed.
    if isinstance(op, ast.Pow):
        return left**right  # type: ignore[operator]
    if isinstance(op, ast.LShift):
        return left << right  # type: ignore[operator]
    if isinstance(op, ast.Mult):
        return left * right  # type: ignore[operator]
    if isinstance(op, ast.Add):
        return left + right  # type: ignore[operator]
    return left - right  # type: ignore[operator]


def check_limits(tree: ast.Module) -> list[Violation]:
    found: list[Violation] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.BinOp):
            continue
        try:
            _fold(node)
        except _Huge:
            found.append(
                Violation(
                    node.lineno,
                    "huge-value",
                    f"The expression '{ast.unparse(node)[:60]}' "
                    "builds a value too large to compute.",
                )
            )
    return found
