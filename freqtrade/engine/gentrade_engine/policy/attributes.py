# Which attribute names a strategy may write after a dot (or hand to getattr): no
# underscore names (private or dunder, except `x.__name__` and `super().__init__`), no
# frame or code internals, no file, process, pickle or string-evaluation methods,
# whatever the receiver is, since the receiver's type can't be known from the text.

from __future__ import annotations

import unicodedata

from gentrade_engine.policy import rules


def norm(name: str) -> str:
    # Python folds identifiers with NFKC (fullwidth 'exec' is exec); strings are folded too.
    return unicodedata.normalize("NFKC", name)


def attribute_problem(name: str) -> tuple[str, str] | None:
    """(rule, reason) when `obj.<name>` is not allowed."""
    name = norm(name)
    if rules.DUNDER_RE.match(name):
        if name in rules.ALLOWED_DUNDER_ATTRIBUTES:
            return None
        return "dunder-attribute", f"the attribute '{name}' reaches into Python's internals"
    if name.startswith("_"):
        return (
            "private-attribute",
            f"names starting with '_' are internals of the object (rename '{name}' without it)",
        )
    if name in rules.INTROSPECTION_ATTRIBUTES:
        return (
            "introspection-attribute",
            f"the attribute '{name}' exposes interpreter frames, classes or code",
        )
    if name == "open":
        return (
            "forbidden-attribute",
            "'open' opens files (for the candle column write dataframe['open'])",
        )
    if rules.is_io_attribute(name):
        return (
            "forbidden-attribute",
            f"'{name}' reads or writes files, starts processes or evaluates code from a string",
        )
    return None
