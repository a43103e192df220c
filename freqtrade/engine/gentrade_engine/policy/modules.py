# Which modules a strategy may import, and the sentence for one it may not. The operating
# system is the boundary (server/sandbox.py); this table is a first filter that names obvious
# intent (files, processes, network, code from data, databases) and lets through the libraries
# community strategies are written with. A module we do not ship gets its own sentence, so a
# trader reads "imports X, which GenTrade does not ship" instead of a load error.

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache

# Top-level modules a strategy may import, with every submodule (minus DENIED_SUBMODULES).
# `freqtrade` is listed part by part in ALLOWED_FREQTRADE.
ALLOWED_MODULES = frozenset(
    {
        # indicator and data libraries shipped in the engine's venv
        "talib",
        "pandas",
        "numpy",
        "scipy",
        "technical",
        "pandas_ta",  # Freqtrade's maintained fork (ft-pandas-ta), works with numpy 2 / pandas 3
        "ta",
        "cachetools",
        "rapidjson",
        "pytz",
        "dateutil",
        # the standard library's value, date and collection helpers
        "math",
        "cmath",
        "datetime",
        "time",
        "calendar",
        "zoneinfo",
        "typing",
        "typing_extensions",
        "functools",
        "itertools",
        "operator",
        "decimal",
        "fractions",
        "numbers",
        "statistics",
        "random",
        "bisect",
        "heapq",
        "dataclasses",
        "enum",
        "abc",
        "copy",
        "string",
        "re",
        "json",
        "warnings",
        "logging",
        "collections",
        "__future__",
    }
)
# Freqtrade's strategy-facing API. freqtrade.misc, .configuration, .rpc, .commands and the like
# read and write files or start services, which strategy code has no use for.
ALLOWED_FREQTRADE = frozenset(
    {
        "freqtrade.strategy",
        "freqtrade.persistence",
        "freqtrade.vendor.qtpylib",
        "freqtrade.exchange",
        "freqtrade.enums",
        "freqtrade.constants",
        "freqtrade.util",
        "freqtrade.data.dataprovider",
        "freqtrade.data.converter",
        "freqtrade.data.metrics",
        "freqtrade.optimize.space",
        "freqtrade.types",
    }
)
# Submodules of allowed packages that do file I/O, reach the network or run code from strings.
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
        "scipy.io",  # MATLAB/NetCDF/WAV files
        "scipy.datasets",  # downloads over the network
        "json.tool",
        # database migrations that move data files, network, threads, file templates, terminals
        "freqtrade.util.migrations",
        "freqtrade.util.coin_gecko",
        "freqtrade.util.ft_scheduler",
        "freqtrade.util.template_renderer",
        "freqtrade.util.rich_tables",
        "freqtrade.util.rich_progress",
        "freqtrade.persistence.migrations",
    }
)
# Indicator modules whose functions strategies pick by a computed name (`getattr(ta, "CDLDOJI")`).
INDICATOR_MODULES = frozenset(
    {
        "talib",
        "talib.abstract",
        "pandas_ta",
        "ta",
        "technical.indicators",
        "technical.qtpylib",
        "freqtrade.vendor.qtpylib.indicators",
    }
)
# Old templates import a standard module through a library that happens to hold it.
ALIASES = {"numpy.lib.math": "math"}
# Star imports hide which names arrive; only Freqtrade's strategy module is common enough.
STAR_IMPORT_OK = frozenset({"freqtrade.strategy"})

_FILES = "it reads and writes files, which a strategy has no use for"
_PROCESSES = "it starts or controls processes, threads or the interpreter itself"
_CODE = "it runs code from data or reaches Python's internals"
_NETWORK = "it opens network connections, and backtests run offline"
_DATABASE = "it opens databases; a strategy reads its trades through Freqtrade's Trade class"


def _each(names: str, reason: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), reason)


# Modules refused with a reason: what a strategy importing them is evidently after.
DENIED_REASONS: dict[str, str] = {
    **_each(
        (
            "os pathlib shutil io tempfile glob fileinput filecmp zipfile tarfile gzip bz2 "
            "lzma shelve dbm codecs mmap fcntl csv"
        ),
        _FILES,
    ),
    **_each(
        (
            "sys subprocess multiprocessing threading _thread concurrent asyncio signal pty "
            "resource posix nt _posixsubprocess psutil atexit faulthandler"
        ),
        _PROCESSES,
    ),
    **_each(
        (
            "importlib pickle _pickle marshal dill cloudpickle joblib code codeop runpy "
            "builtins inspect gc types ctypes _ctypes cffi zipimport pkgutil site sysconfig "
            "imp traceback"
        ),
        _CODE,
    ),
    **_each(
        (
            "socket ssl select selectors http urllib urllib3 requests httpx aiohttp ftplib "
            "smtplib telnetlib poplib imaplib xmlrpc websockets websocket ccxt telegram "
            "webbrowser uvicorn fastapi"
        ),
        _NETWORK,
    ),
    **_each("sqlite3 sqlalchemy", _DATABASE),
    "freqtrade.misc": "Freqtrade's file and JSON helpers write files anywhere",
}
_SHIPPED = (
    "Freqtrade's strategy API, TA-Lib, pandas, numpy, scipy, technical, ta, pandas_ta "
    "and Python's math, date, text and collection helpers"
)


def _under(dotted: str, roots: frozenset[str]) -> bool:
    return any(dotted == r or dotted.startswith(r + ".") for r in roots)


def module_allowed(dotted: str) -> bool:
    """True when `import <dotted>` is within the policy."""
    if _under(dotted, DENIED_SUBMODULES):
        return False
    top = dotted.split(".")[0]
    if top == "freqtrade":
        return dotted == "freqtrade" or _under(dotted, ALLOWED_FREQTRADE)
    return top in ALLOWED_MODULES


def module_passable(dotted: str) -> bool:
    """True for an allowed module or a package on the way to one (`freqtrade.vendor` on the
    way to `freqtrade.vendor.qtpylib`): a chain may walk through it, not stop at it."""
    return module_allowed(dotted) or any(a.startswith(dotted + ".") for a in ALLOWED_FREQTRADE)


@lru_cache(maxsize=256)
def _installed(dotted: str) -> bool:
    # A top-level lookup only searches sys.path; a dotted one imports the parent packages, which
    # are allowed (Freqtrade's) by the time this is asked.
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def _denied_reason(dotted: str) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        reason = DENIED_REASONS.get(".".join(parts[:end]))
        if reason:
            return reason
    return None


def _missing_part(dotted: str) -> bool:
    """`freqtrade.state`, `technical.tradingview`: paths older versions had. Only asked where
    finding out imports nothing but allowed (or already imported) packages."""
    parent = dotted.rpartition(".")[0]
    if not parent or not (module_passable(parent) or parent in sys.modules):
        return False
    return not _installed(dotted)


def import_problem(dotted: str, is_module: bool = True) -> tuple[str, str] | None:
    """(rule, sentence) when `import <dotted>` is refused, None when it may be imported.

    `is_module` is False for `from a import b` checked as `a.b`, where b may be a plain name.
    """
    top = dotted.split(".")[0]
    reason = _denied_reason(dotted)
    if reason:
        return "forbidden-import", f"Importing '{dotted}' is not allowed: {reason}."
    if not _installed(top):
        return (
            "not-shipped",
            f"This strategy imports '{top}', which GenTrade does not ship (a strategy can use "
            f"{_SHIPPED}, not other packages or files of its own).",
        )
    if is_module and dotted != top and module_passable(top) and _missing_part(dotted):
        shipped = "Freqtrade 2026.9" if top == "freqtrade" else f"the {top} GenTrade ships"
        return (
            "not-shipped",
            f"This strategy imports '{dotted}', which {shipped} does not have "
            "(the strategy was written for another version of it).",
        )
    if module_allowed(dotted):
        return None
    if _under(dotted, DENIED_SUBMODULES):
        why = "that part of it reads or writes files or runs code from strings"
    elif top == "freqtrade":
        why = "that part of Freqtrade is not its strategy API"
    else:
        why = f"'{top}' is not a strategy or indicator library"
    return (
        "forbidden-import",
        f"Importing '{dotted}' is not allowed: {why}; strategies may use {_SHIPPED}.",
    )
