# Checks on the raw file before Python's parser sees it: size, null bytes, the
# PEP 263 coding cookie (only UTF-8 is accepted, so a `utf-7` or codec-trick cookie
# cannot make the parser see different code than a reviewer does), strict UTF-8,
# and bidirectional control characters that make code display differently than it runs.

from __future__ import annotations

import re

from gentrade_engine.policy.violation import Violation

MAX_SOURCE_BYTES = 1024 * 1024
_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig"})
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_source(data: bytes) -> tuple[str | None, list[Violation]]:
    """The text to parse, or None with the reasons it must not be parsed."""
    if len(data) > MAX_SOURCE_BYTES:
        size_kb = len(data) // 1024
        return None, [
            Violation(
                1, "file-too-large", f"The file is {size_kb} KB; strategies may be at most 1024 KB."
            )
        ]
    found: list[Violation] = []
    if b"\x00" in data:
        line = _line_of(data, data.index(b"\x00"))
        found.append(Violation(line, "null-byte", "The file contains a null byte."))
    for number, raw_line in enumerate(data.split(b"\n")[:2], start=1):
        match = _COOKIE_RE.match(raw_line)
        if match and match.group(1).decode("ascii", "replace").lower() not in _UTF8_NAMES:
            name = match.group(1).decode("ascii", "replace")
            found.append(
                Violation(
                    number,
                    "coding-cookie",
                    f"The file declares the source encoding '{name}'; only UTF-8 is accepted.",
                )
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = _line_of(data, err.start)
        found.append(
            Violation(
                line, "undecodable-bytes", f"Line {line} holds bytes that are not valid UTF-8."
            )
        )
        return None, found
    for number, text_line in enumerate(text.split("\n"), start=1):
        if any(char in _BIDI for char in text_line):
            found.append(
                Violation(
                    number,
                    "bidi-control",
                    "The line contains an invisible bidirectional control character "
                    "that makes the code read differently than it runs.",
                )
            )
    return (None if found else text), found
