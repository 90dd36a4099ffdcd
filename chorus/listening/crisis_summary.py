"""The close summary of a crisis, and its exports (CSV, printable page).

Mentions are compared over three windows: *before* (as long as the crisis, just before it
opened), *during*, and *after* (since it closed, growing until now). Response times are the
inbox's first answers to conversations that started during the crisis.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.core.spreadsheet import safe_cell
from chorus.inbox.models import Conversation
from chorus.listening.models import Crisis, CrisisEvent, Mention
from chorus.publishing.models import PostTarget, State


@dataclass(frozen=True)
class Window:
    label: str
    start: datetime
    end: datetime
    total: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def net_sentiment(self) -> float | None:
        """(pos − neg) / (pos + neg), the formula shown beside it; None without either."""
        judged = self.positive + self.negative
        return None if judged == 0 else round((self.positive - self.negative) / judged, 2)


@dataclass(frozen=True)
class ResponseTimes:
    answered: int
    unanswered: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Summary:
    windows: list[Window]
    responses: ResponseTimes
    published: list[PostTarget]
    events: list[CrisisEvent] = field(default_factory=list)


def summarise(crisis: Crisis, now: datetime | None = None) -> Summary:
    now = now or timezone.now()
    end = crisis.closed_at or now
    length = max(end - crisis.opened_at, timedelta(minutes=1))
    windows = [
        _window(crisis, _("Before"), crisis.opened_at - length, crisis.opened_at),
        _window(crisis, _("During"), crisis.opened_at, end),
    ]
    if crisis.closed_at is not None:
        windows.append(_window(crisis, _("After"), crisis.closed_at, now))
    return Summary(
        windows=windows,
        responses=_response_times(crisis, end),
        published=_published(crisis, end),
        events=list(crisis.events.select_related("actor")),
    )


def _window(crisis: Crisis, label: str, start: datetime, end: datetime) -> Window:
    rows = (
        Mention.objects.filter(
            workspace_id=crisis.workspace_id, published_at__gte=start, published_at__lt=end
        )
        .values("sentiment")
        .annotate(n=Count("id"))
    )
    counts = {row["sentiment"]: row["n"] for row in rows}
    return Window(
        label=label,
        start=start,
        end=end,
        total=sum(counts.values()),
        positive=counts.get("positive", 0),
        neutral=counts.get("neutral", 0),
        negative=counts.get("negative", 0),
    )


def _response_times(crisis: Crisis, end: datetime) -> ResponseTimes:
    started = Conversation.objects.filter(
        workspace_id=crisis.workspace_id,
        first_message_at__gte=crisis.opened_at,
        first_message_at__lt=end,
    ).values_list("first_message_at", "first_response_at")
    minutes = sorted(
        (answer - first).total_seconds() / 60 for first, answer in started if answer is not None
    )
    unanswered = sum(1 for _first, answer in started if answer is None)
    return ResponseTimes(
        answered=len(minutes),
        unanswered=unanswered,
        median_minutes=round(median(minutes), 1) if minutes else None,
        p90_minutes=round(percentile(minutes, 0.9), 1) if minutes else None,
    )


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _published(crisis: Crisis, end: datetime) -> list[PostTarget]:
    return list(
        PostTarget.objects.filter(
            workspace_id=crisis.workspace_id,
            state=State.PUBLISHED,
            published_at__gte=crisis.opened_at,
            published_at__lt=end,
        )
        .select_related("channel", "post")
        .order_by("published_at")
    )


def summary_csv(crisis: Crisis, summary: Summary) -> str:
    """One CSV: the figures first, then every line of the timeline (cells made formula-safe)."""
    out = io.StringIO()
    write = csv.writer(out).writerow
    write([_("section"), _("what"), _("when"), _("who"), _("figure or text")])
    write(["crisis", safe_cell(crisis.title), crisis.opened_at.isoformat(), "", crisis.status])
    for window in summary.windows:
        for name in ("total", "positive", "neutral", "negative", "net_sentiment"):
            value = getattr(window, name)
            write(["mentions", f"{window.label} {name}", window.start.isoformat(), "", value])
    times = summary.responses
    for name in ("answered", "unanswered", "median_minutes", "p90_minutes"):
        write(["inbox", name, "", "", getattr(times, name)])
    for target in summary.published:
        when = target.published_at.isoformat() if target.published_at else ""
        write(["published", safe_cell(target.channel.name), when, "", safe_cell(target.text)])
    for event in summary.events:
        who = event.actor_name or (str(event.actor) if event.actor else "")
        write(["timeline", event.get_kind_display(), event.at.isoformat(), safe_cell(who),
               safe_cell(event.text)])  # fmt: skip
    return out.getvalue()
