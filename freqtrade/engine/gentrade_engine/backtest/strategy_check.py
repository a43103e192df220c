# Loads the strategy the way Freqtrade will, before the backtest starts, so a broken
# file or class becomes STRATEGY_LOAD with the Python error's own last line rather
# than Freqtrade's generic "Impossible to load Strategy".

from __future__ import annotations

import importlib.util
import inspect
import re
import shutil
import sys
import traceback
from copy import deepcopy
from pathlib import Path
from typing import Any

from gentrade_engine.errors import EngineError

_PROBE_MODULE = "gentrade_strategy_probe"


_CLASS_SPACE_RE = re.compile(r"^(\s*class\s+\w+)\s+\(", re.MULTILINE)


def stage_strategy(source: Path, strategy_dir: Path) -> Path:
    """Copy the strategy (and its parameter file) into a folder holding nothing else.

    Freqtrade searches a whole folder for the class name; a private folder makes sure
    the requested file is the one loaded, and keeps the exact code with the results.
    """
    strategy_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*strategy_dir.glob("*.py"), *strategy_dir.glob("*.json")]:
        stale.unlink()
    staged = strategy_dir / source.name
    shutil.copyfile(source, staged)
    text = staged.read_text(encoding="utf-8", errors="surrogateescape")
    # Freqtrade finds the class by the text "class Name(", so "class Name (IStrategy):", which
    # Python accepts, would not load; the staged copy closes the gap (same lines, same code).
    tidy = _CLASS_SPACE_RE.sub(r"\1(", text)
    if tidy != text:
        staged.write_text(tidy, encoding="utf-8", errors="surrogateescape")
    params = source.with_suffix(".json")
    if params.is_file():
        shutil.copyfile(params, staged.with_suffix(".json"))
    return staged


def _last_line(err: BaseException) -> str:
    return traceback.format_exception_only(type(err), err)[-1].strip()


def _user_line(err: BaseException, path: Path) -> int | None:
    """The last line of the strategy file itself in the traceback, if any."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename) == path]
    return frames[-1].lineno if frames else None


def _diagnose(path: Path, class_name: str) -> str | None:
    """Import the file directly to find why Freqtrade could not load the class."""
    from freqtrade.strategy import IStrategy

    spec = importlib.util.spec_from_file_location(_PROBE_MODULE, path)
    if spec is None or spec.loader is None:
        return f"{path.name} cannot be imported as a Python module"
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    except SyntaxError as err:
        # Name the line: that is where a trader looks first.
        return f"{path.name} line {err.lineno}: SyntaxError: {err.msg}"
    except BaseException as err:  # noqa: BLE001 - user code may raise anything, even SystemExit
        line = _user_line(err, path)
        where = f" (line {line})" if line is not None else ""
        return f"{path.name} failed to import{where}: {_last_line(err)}"
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop(_PROBE_MODULE, None)
    found = getattr(module, class_name, None)
    if found is None or not (inspect.isclass(found) and issubclass(found, IStrategy)):
        defined = sorted(
            name
            for name, obj in vars(module).items()
            if inspect.isclass(obj)
            and issubclass(obj, IStrategy)
            and obj.__module__ == _PROBE_MODULE
        )
        listed = ", ".join(defined) if defined else "none"
        return f"{path.name} has no strategy class named {class_name} (it defines: {listed})"
    return None


def check_strategy(config: dict[str, Any], staged: Path) -> Any:
    """Load the strategy through Freqtrade's resolver and return it (an IStrategy).

    Raises STRATEGY_LOAD unless Freqtrade can load it and accept its settings.
    """
    from freqtrade.configuration.config_validation import validate_config_consistency
    from freqtrade.resolvers import StrategyResolver

    trial = deepcopy(config)
    try:
        strategy = StrategyResolver.load_strategy(trial)
        validate_config_consistency(trial)
    except (Exception, SystemExit) as err:  # every failure here is the strategy's
        reason = _diagnose(staged, config["strategy"]) or _last_line(err)
        message = f"The strategy could not be loaded: {reason.rstrip('.')}."
        raise EngineError("STRATEGY_LOAD", message) from err
    return strategy


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _roi_problem(roi: Any) -> str | None:
    if not isinstance(roi, dict) or not roi:
        return 'minimal_roi must be a table like {"0": 0.05} (minutes -> profit)'
    for key, value in roi.items():
        try:
            minutes = int(key)
        except (TypeError, ValueError):
            minutes = -1
        if minutes < 0:
            return (
                f'minimal_roi has the key {key!r}; keys are minutes since entry, e.g. "0" or "60"'
            )
        if not _is_number(value):
            return f"minimal_roi[{key!r}] is {value!r}; it must be a profit ratio such as 0.05"
    return None


def settings_problems(strategy: Any) -> list[tuple[str, str]]:
    """(rule, message) for every required setting of a loaded strategy that is not valid.

    Settings the class leaves out were filled in from the config before the load
    (strategy_defaults.py); what is checked here is a value the strategy wrote itself.
    """
    from gentrade_engine.timeframes import BINANCE_TIMEFRAMES

    problems: list[tuple[str, str]] = []
    version = getattr(strategy, "INTERFACE_VERSION", None)
    if version not in (2, 3):
        problems.append(
            (
                "interface-version",
                f"The strategy sets INTERFACE_VERSION = {version!r}; Freqtrade 2026.9 runs "
                "version 3 strategies (and version 2 ones with populate_buy_trend).",
            )
        )
    timeframe = getattr(strategy, "timeframe", None)
    if timeframe not in BINANCE_TIMEFRAMES:
        known = ", ".join(sorted(BINANCE_TIMEFRAMES))
        problems.append(
            (
                "timeframe",
                f"The strategy's timeframe {timeframe!r} is not offered by Binance; "
                f"use one of {known}.",
            )
        )
    roi = _roi_problem(getattr(strategy, "minimal_roi", None))
    if roi:
        problems.append(("minimal-roi", f"The strategy's {roi}."))
    stoploss = getattr(strategy, "stoploss", None)
    # Freqtrade's own rule: any negative ratio (-1 and below never trigger on a long).
    if not _is_number(stoploss) or not stoploss < 0:
        problems.append(
            (
                "stoploss",
                f"The strategy's stoploss is {stoploss!r}; it must be a negative ratio such as "
                "-0.10 for 10%.",
            )
        )
    return problems
