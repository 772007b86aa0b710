"""Typed reading of untrusted JSON values, each problem told with the field it is in.

A `.vidjil` file made elsewhere may hold anything where a count is expected: `1e400` (Python reads
infinity), `NaN`, text, a list. Each accessor returns the value in the type the result needs or
raises `FieldError("clones[3].reads[0]", "...")`, which the reader turns into the one
`InputFormatError` the user sees; nothing else escapes.
"""

from __future__ import annotations

import math
from typing import Any

MAX_WHOLE = 2**53  # counts and positions beyond this are not data, and would not fit SQLite


class FieldError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def shown(value: Any) -> str:
    """A value as an error message quotes it: short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def whole(value: Any, field: str, low: int = 0, high: int = MAX_WHOLE) -> int:
    """A whole number (an integral float is taken) between `low` and `high`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(field, f"{shown(value)} is not a number")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise FieldError(field, f"{shown(value)} is not a whole number")
    if not low <= value <= high:
        raise FieldError(field, f"{shown(value)} is outside {low}..{high}")
    return int(value)


def real(value: Any, field: str) -> float:
    """A finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(field, f"{shown(value)} is not a number")
    if not math.isfinite(value) or abs(value) > MAX_WHOLE:
        raise FieldError(field, f"{shown(value)} is not a finite number")
    return float(value)


def text(value: Any, field: str) -> str:
    """Text; a number is taken as its digits (some tools write ids as numbers)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FieldError(field, f"{shown(value)} is not text")


def mapping(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError(field, f"{shown(value)} is not an object")
    return value


def items(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise FieldError(field, f"{shown(value)} is not a list")
    return value


def optional(container: dict[str, Any], key: str, default: Any) -> Any:
    """The value under `key`, or `default` when it is absent or null."""
    value = container.get(key)
    return default if value is None else value
