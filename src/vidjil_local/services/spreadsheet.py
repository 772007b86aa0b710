"""Text cells of CSV/TSV exports that a spreadsheet opens: a cell starting like a formula
(=, +, -, @, tab, CR) would be run by Excel or LibreOffice (CSV injection), so it gets a leading
quote. Names come from users (clones, samples, e-mails typed at login) and from result files
made elsewhere."""

from __future__ import annotations

import math

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def spreadsheet_text(text: str) -> str:
    """`text` as a spreadsheet shows it, never run; numbers such as -1.5 are left alone."""
    if text[:1] in FORMULA_STARTS and not _is_number(text):
        return "'" + text
    return text
