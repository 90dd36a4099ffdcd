"""Cells written to a CSV a person opens in a spreadsheet (invariant 3: public text is untrusted).

One guard for every CSV Chorus writes (the inbox export, the bulk import's error report), so a
fix to what counts as a formula reaches them all.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula: defuse it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
