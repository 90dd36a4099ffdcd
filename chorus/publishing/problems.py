"""A problem with a variant, as the composer, the CSV import and the API show it.

An error stops the variant going out; a warning only weakens it (missing alt text, say). The
checks that find problems are in :mod:`.validation`; this module only says what one is, so the
checks split by topic can share it without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: Severity = "error"
    part: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def has_errors(problems: Sequence[Problem]) -> bool:
    return any(problem.is_error for problem in problems)
