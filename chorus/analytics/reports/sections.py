"""The sections a report may hold, in the order a report shows them.

Each section is built from the dashboard's figures (``chorus.analytics.figures``) by a small
function in ``section_*.py``; this registry is the one list pages, schedules and the CLI offer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.analytics.reports.content import Section
from chorus.analytics.reports.section_community import community_section, sentiment_section
from chorus.analytics.reports.section_listening import listening_section
from chorus.analytics.reports.section_posts import (
    audience_section,
    overview_section,
    publishing_section,
    top_posts_section,
)
from chorus.analytics.reports.source import Source


@dataclass(frozen=True)
class SectionKind:
    key: str
    label: Promise
    build: Callable[[Source], Section]


SECTIONS: tuple[SectionKind, ...] = (
    SectionKind("overview", _("Overview"), overview_section),
    SectionKind("audience", _("Audience growth"), audience_section),
    SectionKind("publishing", pgettext_lazy("report section", "Publishing"), publishing_section),
    SectionKind("top_posts", _("Top posts"), top_posts_section),
    SectionKind("community", _("Community management"), community_section),
    SectionKind("sentiment", _("Sentiment"), sentiment_section),
    SectionKind("listening", _("Listening"), listening_section),
)
SECTION_KEYS = tuple(kind.key for kind in SECTIONS)
BY_KEY = {kind.key: kind for kind in SECTIONS}


def section_choices() -> list[tuple[str, Promise]]:
    return [(kind.key, kind.label) for kind in SECTIONS]


def in_report_order(keys: Sequence[str]) -> list[str]:
    """The chosen keys, known ones only, in the registry's order (whatever order was ticked)."""
    chosen = set(keys)
    return [key for key in SECTION_KEYS if key in chosen]


def build_sections(source: Source, keys: Sequence[str]) -> tuple[Section, ...]:
    return tuple(BY_KEY[key].build(source) for key in in_report_order(keys))
