# The policy's tables: which modules a strategy may import, which names and
# attributes it may never touch. Kept as data so the rules are reviewable in one place.

from __future__ import annotations

import re

# Built-in names that execute code, reach the interpreter's internals or do I/O.
FORBIDDEN_NAMES = frozenset(
    {
        "exec",
        "eval",
        "compile",
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
# getattr/setattr/hasattr with an allowed attribute name, `type(x)` with one argument, bare
# `super()` or `super(OwnClass, self)`, `open(path)` for reading. As values (`g = getattr`,
# `map(getattr, ...)`, `reduce(getattr, ...)`) they would take their arguments from anywhere.
CALL_ONLY_NAMES = frozenset({"getattr", "setattr", "hasattr", "type", "super", "open"})
# Dunder names a strategy may use: `logging.getLogger(__name__)`, `cls.__name__` in a log
# line, `super().__init__(config)` in a constructor, `__all__` in a module. All of them are
# plain values; the dunders that lead to classes, frames or globals are not here.
# Module metadata (`__author__ = "..."`) and `if __name__ == "__main__":` are plain strings too.
METADATA_DUNDERS = frozenset(
    {
        "__author__",
        "__version__",
        "__copyright__",
        "__license__",
        "__email__",
        "__credits__",
        "__maintainer__",
        "__status__",
        "__date__",
        "__description__",
        "__url__",
        "__title__",
        "__contact__",
        "__revision__",
        "__docformat__",
        "__main__",
    }
)
ALLOWED_DUNDERS = frozenset({"__name__", "__init__", "__all__"}) | METADATA_DUNDERS
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

# Built-ins that may be called while the module or a class body is executed (import time), as
# in `startup_candle_count = max(200, slow_len * 3)`; library functions imported by the file may
# be called too (import_time.py). print, input, exec and friends are not values.
IMPORT_TIME_BUILTINS = frozenset(
    {
        "dict",
        "list",
        "tuple",
        "set",
        "frozenset",
        "int",
        "float",
        "str",
        "bool",
        "len",
        "min",
        "max",
        "abs",
        "round",
        "range",
        "sorted",
        "sum",
        "enumerate",
        "zip",
        "reversed",
        "any",
        "all",
        "isinstance",
    }
)
# Decorators that only wrap a function: builtins, and names imported from allowed modules.
DECORATOR_BUILTINS = frozenset({"property", "staticmethod", "classmethod"})

DUNDER_RE = re.compile(r"^__\w+__$")
DUNDER_IN_TEXT_RE = re.compile(r"__[A-Za-z_]\w*?__")


# Library functions whose names are refused elsewhere but which only parse or build values.
QUALIFIED_OK = frozenset(
    {
        "re.compile",
        "json.dumps",
        "json.loads",
        "rapidjson.dumps",
        "rapidjson.loads",
    }
)
# Freqtrade's database: strategies read trades through Trade's query helpers; opening a database,
# its raw session and SQL statements are never needed (rule database-access).
DATABASE_NAMES = frozenset({"init_db"})
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})


def is_io_attribute(name: str) -> bool:
    return name in FORBIDDEN_ATTRIBUTES or bool(_IO_ATTRIBUTE_RE.match(name))
