"""The listening section: mention volume, net sentiment, share of voice and top authors, from the
listening app's own figures (``chorus.listening.figures``, the ones its mentions page shows)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.analytics.reports.content import Chart, Figure, Section, Series, Table
from chorus.analytics.reports.source import Source, day_label
from chorus.listening import figures as listening
from chorus.listening.mention_filter import MentionFilter
from chorus.listening.models import ListeningQuery
from chorus.workspaces.models import Workspace

NET_SENTIMENT = gettext_lazy(
    "(positive − negative) ÷ (positive + negative), from −100 % (all negative) to +100 %; "
    "neutral mentions are counted but not weighed."
)


def listening_section(source: Source) -> Section:
    workspace = source.workspace
    if not ListeningQuery.objects.filter(workspace=workspace).exists():
        return Section(
            "listening",
            _("Listening"),
            unavailable=_("Listening is not set up in this workspace: no query to count."),
        )
    since, until = source.period.bounds(workspace.timezone)
    chosen = MentionFilter(since=since, until=until)
    volume = listening.volume_over_time(workspace, chosen, "day")
    net = listening.net_sentiment(workspace, chosen)
    voices = listening.share_of_voice(workspace, chosen)
    return Section(
        key="listening",
        title=_("Listening"),
        figures=(
            Figure(_("Mentions"), sum(point.count for point in volume)),
            Figure(_("Net sentiment"), net.value, "percent", formula=str(NET_SENTIMENT)),
        ),
        charts=(
            Chart(
                "bar",
                _("Mentions per day"),
                tuple(day_label(point.start.date()) for point in volume),
                (Series(_("Mentions"), tuple(float(point.count) for point in volume)),),
            ),
        ),
        tables=(voice_table(voices), authors_table(workspace, chosen)),
        notes=(_("Mentions the classifier took for spam are left out."),),
    )


def voice_table(voices: list[listening.VoiceShare]) -> Table:
    return Table(
        _("Share of voice"),
        (_("Query"), _("Mentions"), _("Share (%)")),
        tuple(
            (v.name, v.mentions, None if v.share is None else round(v.share * 100, 2))
            for v in voices
        ),
    )


def authors_table(workspace: Workspace, chosen: MentionFilter) -> Table:
    authors = listening.top_authors(workspace, chosen, limit=10)
    return Table(
        _("Most active authors"),
        (_("Author"), _("Network"), _("Mentions"), _("Reach")),
        tuple((a.name or a.handle, a.network, a.mentions, a.reach) for a in authors),
    )
