# Resolves `logging.os`, `typing.sys.modules` or `from logging import os` against the
# installed libraries, step by step, so an allowed module cannot be used as a door to one
# that is not: every module reached must itself be allowed, and a function, class or
# object reached through a module must come from an allowed module. Only modules the
# import rules allow are ever imported here (trusted libraries the strategy would import
# anyway); the candidate file is still never imported or run.

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
import warnings

from gentrade_engine.policy import rules
from gentrade_engine.policy.modules import module_allowed, module_passable

_MISSING = object()


def _source_module(value: object) -> str | None:
    """The module a function, class or object comes from, as Python records it."""
    if isinstance(value, type) or callable(value):
        name = getattr(value, "__module__", None)
        if isinstance(name, str):
            return name
    return type(value).__module__


def _origin_allowed(module: str | None) -> bool:
    if module is None or module == "builtins":
        return True
    # C accelerators report themselves as `_operator`, `_functools`, `_collections`...
    bare = module[1:] if module.startswith("_") and not module.startswith("__") else module
    return module_allowed(module) or module_allowed(bare)


def _import_allowed(dotted: str) -> types.ModuleType | None:
    if not module_passable(dotted):
        return None
    try:
        with warnings.catch_warnings():  # qtpylib's deprecation notice is not the trader's business
            warnings.simplefilter("ignore")
            return importlib.import_module(dotted)
    except Exception:  # noqa: BLE001 - an unresolvable path is judged by the name rules only
        return None


def _lookup(module: types.ModuleType, name: str) -> object:
    value = vars(module).get(name, _MISSING)
    if value is not _MISSING:
        return value
    dotted = f"{module.__name__}.{name}"
    if dotted in sys.modules:
        return sys.modules[dotted]
    if not module_passable(dotted):
        try:
            found = importlib.util.find_spec(dotted) is not None
        except (ImportError, ValueError):
            found = False
        return types.ModuleType(dotted) if found else _MISSING
    return _import_allowed(dotted) or _MISSING


def path_problem(dotted: str) -> str | None:
    """Why the dotted path (`logging.os.open`) leaves the allowed modules, or None.

    `dotted` starts at an imported name's origin. Walks while the value is a module; the
    first function, class or object reached is judged by the module it comes from.
    """
    parts = dotted.split(".")
    module = _import_allowed(parts[0])
    if module is None:
        return None
    walked = parts[0]
    for name in parts[1:]:
        walked = f"{walked}.{name}"
        value = _lookup(module, name)
        if value is _MISSING:
            return None
        if isinstance(value, types.ModuleType):
            if not module_passable(value.__name__) or not module_passable(walked):
                return f"'{walked}' is the module '{value.__name__}', which strategies may not use"
            module = value
            continue
        origin = _source_module(value)
        refused_builtin = name in rules.FORBIDDEN_NAMES or name in rules.CALL_ONLY_NAMES
        if not _origin_allowed(origin) or (origin == "builtins" and refused_builtin):
            return f"'{walked}' comes from the module '{origin}', which strategies may not use"
        return None
    return None


def is_module(dotted: str) -> bool:
    """True when the dotted path names a module (so it may only be used as `x.attribute`).
    What the parent package holds under the name decides: `technical.indicators.supertrend`
    is the function its package imports over the submodule of the same name."""
    head, _, tail = dotted.rpartition(".")
    if not head:
        return dotted in sys.modules or _import_allowed(dotted) is not None
    parent = sys.modules.get(head) or _import_allowed(head)
    if parent is None:
        return False
    return isinstance(_lookup(parent, tail), types.ModuleType)


def star_names(dotted: str) -> list[str]:
    """The public names `from <dotted> import *` binds (an allowed module only)."""
    module = _import_allowed(dotted)
    if module is None:
        return []
    exported = getattr(module, "__all__", None)
    names = exported if isinstance(exported, list | tuple) else list(vars(module))
    return [n for n in names if isinstance(n, str) and not n.startswith("_")]
