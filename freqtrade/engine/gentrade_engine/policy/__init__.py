# Static policy for strategy code: decides from the text alone, before anything
# runs, whether a file may be loaded. See check.py for the entry points.

from gentrade_engine.policy.check import StaticVerdict, check_source, check_strategy_source
from gentrade_engine.policy.violation import Violation

__all__ = ["StaticVerdict", "Violation", "check_source", "check_strategy_source"]
