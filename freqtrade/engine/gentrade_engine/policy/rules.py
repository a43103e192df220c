# The policy's tables: which modules a strategy may import, which names and
# attributes it may never touch. Kept as data so the rules are reviewable in one place.

from __future__ import annotations

import re

# Top-level modules a strategy may import, with every submodule, except `freqtrade`
# whose allowed parts are listed separately.
ALLOWED_MODULES = frozenset(
    {
        "talib",
        "pandas",
        "numpy",
        "technical",
        "pandas_ta",  # installed in the engine's venv
        "math",
        "datetime",
        "typing",
        "functools",
        "itertools",
        "operator",
        "decimal",
        "statistics",
        "dataclasses",
        "enum",
        "logging",
        "collections",
        "__future__",
    }
)
# Only Freqtrade's strategy-facing API: freqtrade.misc, .configuration, .rpc, .commands
# and the like read and write files or start services, which strategy code has no use for.
ALLOWED_FREQTRADE = frozenset(
    {
        "freqtrade",
        "freqtrade.strategy",
        "freqtrade.persistence",
        "freqtrade.vendor.qtpylib",
        "freqtrade.exchange",
        "freqtrade.enums",
        "freqtrade.constants",
        "freqtrade.util",
        "freqtrade.data.dataprovider",
        "freqtrade.optimize.space",
        "freqtrade.types",
    }
)
# Submodules of allowed packages that still do file I/O or run code from strings.
DENIED_SUBMODULES = frozenset(
    {
        "logging.config",
        "logging.handlers",
        "pandas.io",
        "numpy.lib",
        "numpy.ctypeslib",
        "numpy.f2py",
        "numpy.distutils",
        "numpy.testing",
        "numpy.random.bit_generator",
    }
)
# Star imports hide which names arrive; only Freqtrade's strategy module is common enough.
STAR_IMPORT_OK = frozenset({"freqtrade.strategy"})

# Built-in names that execute code, reach the interpreter's internals or do I/O.
FORBIDDEN_NAMES = frozenset(
    {
        "exec",
        "eval",
        "compile",
        "open",
        "__import__",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "input",
        "memoryview",
        "help",
        "exit",
        "quit",
        "copyright",
        "credits",
        "license",
        "__builtins__",
        "__loader__",
        "__spec__",
        "__file__",
        "__cached__",
        "__build_class__",
    }
)
# Dunder names a strategy may use: `logging.getLogger(__name__)`, `cls.__name__` in a log
# line, `super().__init__(config)` in a constructor, `__all__` in a module. All of them are
# plain values; the dunders that lead to classes, frames or globals are not here.
ALLOWED_DUNDERS = frozenset({"__name__", "__init__", "__all__"})
# The only dunder method a strategy may define: others run implicitly (__del__ at garbage
# collection, __init_subclass__ / __set_name__ at class creation, __reduce__ when pickled).
ALLOWED_DUNDER_DEFS = frozenset({"__init__"})

# Non-dunder attributes of frames, generators, coroutines, tracebacks and code objects.
INTROSPECTION_ATTRIBUTES = frozenset(
    {
        "gi_frame",
        "gi_code",
        "gi_yieldfrom",
        "cr_frame",
        "cr_code",
        "cr_await",
        "ag_frame",
        "ag_code",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "f_trace",
        "tb_frame",
        "tb_next",
        "co_code",
        "co_consts",
        "func_globals",
        "func_code",
    }
)
# Attributes of allowed libraries that read or write files, unpickle, or evaluate strings
# (pandas' read_*/to_*, numpy's load/save, DataFrame.eval/query, typing's string evaluation).
FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "eval",
        "query",
        "load",
        "loads",
        "save",
        "savez",
        "savez_compressed",
        "savetxt",
        "loadtxt",
        "genfromtxt",
        "fromfile",
        "fromregex",
        "tofile",
        "memmap",
        "DataSource",
        "HDFStore",
        "ExcelWriter",
        "ExcelFile",
        "FileHandler",
        "basicConfig",
        "get_type_hints",
        "ForwardRef",
        "_eval_type",
        "attrgetter",
        "methodcaller",
        "system",
        "popen",
    }
)
_IO_ATTRIBUTE_RE = re.compile(
    r"^(read_\w+|to_(pickle|csv|parquet|feather|hdf|sql|excel|stata|orc|json|html|latex|"
    r"markdown|xml|clipboard|string|records_file))$"
)
# getattr-style calls: the attribute name must be a literal that passes the attribute rules.
DYNAMIC_ATTRIBUTE_CALLS = frozenset({"getattr", "setattr", "delattr", "hasattr"})

# Calls that may run while the module or a class body is executed (import time): hyperopt
# parameters, loggers, and plain value constructors. Matched by the name's last part.
IMPORT_TIME_CALLS = frozenset(
    {
        "IntParameter",
        "DecimalParameter",
        "RealParameter",
        "CategoricalParameter",
        "BooleanParameter",
        "getLogger",
        "timedelta",
        "timezone",
        "datetime",
        "date",
        "time",
        "Decimal",
        "informative",
    }
)
IMPORT_TIME_BUILTINS = frozenset({"dict", "list", "tuple", "set", "frozenset", "int", "float", "str", "bool"})
# Decorators that only wrap a function: builtins, and names imported from allowed modules.
DECORATOR_BUILTINS = frozenset({"property", "staticmethod", "classmethod"})

DUNDER_RE = re.compile(r"^__\w+__$")
DUNDER_IN_TEXT_RE = re.compile(r"__[A-Za-z_]\w*?__")


def is_io_attribute(name: str) -> bool:
    return name in FORBIDDEN_ATTRIBUTES or bool(_IO_ATTRIBUTE_RE.match(name))


def module_allowed(dotted: str) -> bool:
    """True when `import <dotted>` is within the policy."""
    if any(dotted == d or dotted.startswith(d + ".") for d in DENIED_SUBMODULES):
        return False
    top = dotted.split(".")[0]
    if top == "freqtrade":
        return any(dotted == a or dotted.startswith(a + ".") for a in ALLOWED_FREQTRADE if a != "freqtrade") or dotted == "freqtrade"
    return top in ALLOWED_MODULES
