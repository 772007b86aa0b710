"""How deep a JSON document nests, measured on its bytes before any parser recurses into it.

Python's and msgspec's JSON parsers recurse once per level and give up with RecursionError near
1,000 levels, and code walking a decoded document recurses as well. Request bodies and imported
files are measured first and refused past `MAX_JSON_DEPTH`, far above anything real: `.vidjil`,
`.analysis` files and API bodies nest fewer than ten levels.
"""

from __future__ import annotations

from itertools import accumulate

MAX_JSON_DEPTH = 64
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_STEP = [0] * 256
for _opening in b"[{":
    _STEP[_opening] = 1
for _closing in b"]}":
    _STEP[_closing] = -1


def nests_deeper_than(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text `data` opens more than `limit` arrays or objects inside each other
    (brackets inside strings do not count). Linear in the size, without recursion."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # cannot nest deeper than the brackets it has
    # drop escaped backslashes, then escaped quotes: what is left of strings is "..." pairs
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # `""` is an empty string or two strings with no bracket between: dropping it keeps every
    # bracket in or out of strings as it was, and leaves few quotes for the split
    quoted = unescaped.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    structure = b"".join(quoted.split(b'"')[::2]) if b'"' in quoted else quoted
    reduced = structure
    for _ in range(limit):  # each round removes the innermost level everywhere
        if not reduced:
            return False
        shorter = reduced.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == reduced:
            break  # brackets that do not pair: let the exact count below decide
        reduced = shorter
    if not reduced:
        return False
    return max(accumulate(map(_STEP.__getitem__, structure)), default=0) > limit
