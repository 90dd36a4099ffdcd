"""The draw's problems in the reader's language: ``draw.verify`` speaks English (the certificate
and the ``chorus verify-draw`` command do), a page speaks the language of whoever reads it."""

from __future__ import annotations

from django.utils.translation import gettext

from chorus.engagement.draw import Problem


def in_words(problems: list[str]) -> list[str]:
    return [_say(problem) for problem in problems]


def _say(problem: str) -> str:
    if not isinstance(problem, Problem):
        return problem
    words = gettext(problem.template)
    return words % problem.values if problem.values else words
