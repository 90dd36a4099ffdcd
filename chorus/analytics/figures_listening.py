"""Listening figures over a period, read from the listening app (volume, net sentiment, voice)."""

from __future__ import annotations

from dataclasses import dataclass

from chorus.analytics.periods import Period
from chorus.listening import figures as listening_figures
from chorus.listening.figures import NetSentiment, VoiceShare, VolumePoint
from chorus.listening.mention_filter import MentionFilter
from chorus.workspaces.models import Workspace


@dataclass(frozen=True)
class Listening:
    period: Period
    volume: tuple[VolumePoint, ...]  # per day of the workspace's calendar
    net_sentiment: NetSentiment
    share_of_voice: tuple[VoiceShare, ...]

    @property
    def mentions(self) -> int:
        return sum(point.count for point in self.volume)


def listening(workspace: Workspace, period: Period) -> Listening:
    since, until = period.bounds(workspace.timezone)
    chosen = MentionFilter(since=since, until=until)
    return Listening(
        period=period,
        volume=tuple(listening_figures.volume_over_time(workspace, chosen, "day")),
        net_sentiment=listening_figures.net_sentiment(workspace, chosen),
        share_of_voice=tuple(listening_figures.share_of_voice(workspace, chosen)),
    )
