"""The figures one report reads, each computed once however many sections use it."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.utils.formats import date_format

from chorus.analytics import figures
from chorus.analytics.periods import Period
from chorus.workspaces.models import Workspace


class Source:
    """One workspace over one period: the dashboard's figures, fetched on first use."""

    def __init__(self, workspace: Workspace, period: Period) -> None:
        self.workspace = workspace
        self.period = period

    @cached_property
    def overview(self) -> figures.Overview:
        return figures.overview(self.workspace, self.period)

    @cached_property
    def per_channel(self) -> list[figures.ChannelFigures]:
        return figures.per_channel(self.workspace, self.period)

    @cached_property
    def audience(self) -> list[figures.ChannelAudience]:
        return figures.audience(self.workspace, self.period)

    @cached_property
    def publishing(self) -> figures.Publishing:
        return figures.publishing(self.workspace, self.period)

    @cached_property
    def community(self) -> figures.Community:
        return figures.community(self.workspace, self.period)

    def top_posts(self, worst: bool = False, limit: int = 10) -> list[figures.PostFigures]:
        return figures.top_posts(self.workspace, self.period, limit=limit, worst=worst)


def day_label(day: date) -> str:
    """A day on a chart's axis, in the active language (7 Nov / 7 nov.)."""
    return date_format(day, "j M")
