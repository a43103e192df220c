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
        "pandas.compat",  # pickle_compat unpickles
        "pandas.plotting",
        "pandas.testing",
        # pandas.core.computation.scope.Scope captures the caller's globals (and builtins)
        "pandas.core.computation",
        # database migrations that move data files, network, threads, file templates, terminals
        "freqtrade.util.migrations",
        "freqtrade.util.coin_gecko",
        "freqtrade.util.ft_scheduler",
        "freqtrade.util.template_renderer",
        "freqtrade.util.rich_tables",
        "freqtrade.util.rich_progress",
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
        "dir",
        "delattr",
    }
)
# Built-ins allowed only as the callee of a direct call of a checked shape (calls.py):
# getattr/setattr/hasattr with an allowed attribute name, `type(x)` with one argument,
# bare `super()`. As values (`g = getattr`, `map(getattr, ...)`, `reduce(getattr, ...)`)
# they would take their arguments from anywhere.
CALL_ONLY_NAMES = frozenset({"getattr", "setattr", "hasattr", "type", "super"})
# Dunder names a strategy may use: `logging.getLogger(__name__)`, `cls.__name__` in a log
# line, `super().__init__(config)` in a constructor, `__all__` in a module. All of them are
# plain values; the dunders that lead to classes, frames or globals are not here.
ALLOWED_DUNDERS = frozenset({"__name__", "__init__", "__all__"})
# As an attribute only `x.__name__` (a string) and `super().__init__` (checked in names.py).
ALLOWED_DUNDER_ATTRIBUTES = frozenset({"__name__", "__init__"})
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
        "mro",
        "currentframe",
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
        # pickling, and the file and process calls of os/pathlib/shutil, whatever the receiver
        "dump",
        "dumps",
        "open",
        "write_text",
        "write_bytes",
        "savefig",
        # builtins reached as attributes of a builtins module or dict (`b.getattr`, `b.compile`)
        "compile",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "dir",
        "breakpoint",
        "input",
        "memoryview",
        # singledispatch evaluates string annotations as code
        "singledispatch",
        "singledispatchmethod",
        "unlink",
        "rmdir",
        "removedirs",
        "mkdir",
        "makedirs",
        "chmod",
        "chown",
        "listdir",
        "scandir",
        "walk",
        "fork",
        "forkpty",
        "kill",
        "killpg",
        "posix_spawn",
        "posix_spawnp",
        "modules",
        # logging's "{"-style formatters walk attributes named in the format string
        "Formatter",
        "setFormatter",
        "StrFormatStyle",
        "format_map",
    }
)
_IO_ATTRIBUTE_RE = re.compile(
    r"^(read_\w+|savez\w*|(exec|spawn)[lvpe]*|to_(pickle|csv|parquet|feather|hdf|sql|excel|stata|"
    r"orc|json|html|latex|markdown|xml|clipboard|string|records_file))$"
)
# getattr-style calls: the attribute name must be a literal that passes the attribute rules.
DYNAMIC_ATTRIBUTE_CALLS = frozenset({"getattr", "setattr", "hasattr"})
# Methods that pandas dispatches by name when given a string (`df.agg("to_pickle", path)`
# calls df.to_pickle): their string arguments pass the attribute rules.
STRING_DISPATCH_METHODS = frozenset(
    {"agg", "aggregate", "apply", "transform", "map", "applymap", "pipe"}
)
# `"{0.x}".format(obj)` reads obj.x: only literal format strings without `.`/`[` in a field.
FORMAT_METHODS = frozenset({"format"})

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
IMPORT_TIME_BUILTINS = frozenset(
    {"dict", "list", "tuple", "set", "frozenset", "int", "float", "str", "bool"}
)
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
        return (
            any(
                dotted == a or dotted.startswith(a + ".")
                for a in ALLOWED_FREQTRADE
                if a != "freqtrade"
            )
            or dotted == "freqtrade"
        )
    return top in ALLOWED_MODULES
