"""Community management figures from the inbox: received, answered, response times, moderation.

Response times count business hours only (the inbox's own SLA windows, ``inbox.sla``), so the
hit rate here agrees with the "due by" the inbox shows.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from chorus.analytics.periods import Period
from chorus.inbox.models import Conversation, Direction, Message, RuleAction
from chorus.inbox.sla import business_time_between, settings_for
from chorus.people.models import Author
from chorus.workspaces.models import Workspace


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


@dataclass(frozen=True)
class Responses:
    """Answers to conversations started in the period, and how fast (business hours)."""

    conversations: int
    answered: int
    median_seconds: float | None
    p90_seconds: float | None
    within_target: int
    missed: int  # answered late, or still unanswered past the target

    @property
    def hit_rate(self) -> float | None:
        judged = self.within_target + self.missed
        return self.within_target / judged if judged else None


@dataclass(frozen=True)
class ChannelCommunity:
    channel_id: int
    name: str
    received: int
    responses: Responses


@dataclass(frozen=True)
class PersonCommunity:
    user_id: int
    name: str
    replies_sent: int
    responses: Responses  # of the conversations assigned to them


@dataclass(frozen=True)
class Moderation:
    hidden: int  # messages received in the period and hidden (by hand or by a rule)
    deleted: int
    authors_banned: int
    rule_actions: tuple[tuple[str, int], ...]  # (action, times), not undone


@dataclass(frozen=True)
class SentimentBucket:
    start: date  # a day, or the Monday of a week
    positive: int
    neutral: int
    negative: int
    unknown: int

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative + self.unknown


@dataclass(frozen=True)
class Community:
    period: Period
    received: int
    target_hours: int
    responses: Responses
    per_channel: tuple[ChannelCommunity, ...]
    per_person: tuple[PersonCommunity, ...]
    moderation: Moderation
    sentiment: tuple[SentimentBucket, ...]
    sentiment_by: str  # "day" or "week"


def community(workspace: Workspace, period: Period) -> Community:
    first, after = period.bounds(workspace.timezone)
    received = Message.objects.filter(
        workspace=workspace,
        direction=Direction.INCOMING,
        created_at__gte=first,
        created_at__lt=after,
    )
    answers = _answer_times(workspace, first, after)
    target = settings_for(workspace).first_reply_hours
    by = "week" if period.days > 31 else "day"
    return Community(
        period=period,
        received=received.count(),
        target_hours=target,
        responses=_responses(answers, target),
        per_channel=_per_channel(workspace, received, answers, target),
        per_person=_per_person(workspace, first, after, answers, target),
        moderation=_moderation(workspace, received, first, after),
        sentiment=_sentiment(received, workspace.timezone, by, period),
        sentiment_by=by,
    )


@dataclass(frozen=True)
class _Answer:
    channel_id: int
    channel_name: str
    assignee_id: int | None
    seconds: float | None  # business seconds to the first answer; None: not answered
    overdue: bool  # unanswered and past its due time


def _answer_times(workspace: Workspace, first: datetime, after: datetime) -> list[_Answer]:
    settings, now = settings_for(workspace), timezone.now()
    rows = Conversation.objects.filter(
        workspace=workspace, first_message_at__gte=first, first_message_at__lt=after
    ).values_list(
        "channel_id",
        "channel__name",
        "assignee_id",
        "first_message_at",
        "first_response_at",
        "response_due_at",
    )
    found = []
    for channel_id, name, assignee, started, answered_at, due in rows:
        seconds = None
        if answered_at is not None:
            spent = business_time_between(started, answered_at, settings, workspace.timezone)
            seconds = spent.total_seconds()
        overdue = answered_at is None and due is not None and due < now
        found.append(_Answer(channel_id, name, assignee, seconds, overdue))
    return found


def _responses(answers: list[_Answer], target_hours: int) -> Responses:
    times = [a.seconds for a in answers if a.seconds is not None]
    within = sum(1 for s in times if s <= target_hours * 3600)
    overdue = sum(1 for a in answers if a.overdue)
    return Responses(
        conversations=len(answers),
        answered=len(times),
        median_seconds=statistics.median(times) if times else None,
        p90_seconds=percentile(times, 0.9),
        within_target=within,
        missed=len(times) - within + overdue,
    )


def _per_channel(
    workspace: Workspace, received: Any, answers: list[_Answer], target: int
) -> tuple[ChannelCommunity, ...]:
    counts = dict(
        received.values("channel_id").annotate(n=Count("id")).values_list("channel_id", "n")
    )
    names = {a.channel_id: a.channel_name for a in answers}
    if set(counts) - set(names):
        names.update(
            workspace.channels.filter(pk__in=set(counts) - set(names)).values_list("pk", "name")
        )
    grouped: dict[int, list[_Answer]] = defaultdict(list)
    for answer in answers:
        grouped[answer.channel_id].append(answer)
    return tuple(
        ChannelCommunity(pk, names[pk], counts.get(pk, 0), _responses(grouped[pk], target))
        for pk in sorted(names, key=lambda pk: names[pk])
    )


def _per_person(
    workspace: Workspace, first: datetime, after: datetime, answers: list[_Answer], target: int
) -> tuple[PersonCommunity, ...]:
    sent = dict(
        Message.objects.filter(
            workspace=workspace,
            direction=Direction.OUTGOING,
            created_at__gte=first,
            created_at__lt=after,
            sent_by__isnull=False,
        )
        .values("sent_by")
        .annotate(n=Count("id"))
        .values_list("sent_by", "n")
    )
    grouped: dict[int, list[_Answer]] = defaultdict(list)
    for answer in answers:
        if answer.assignee_id is not None:
            grouped[answer.assignee_id].append(answer)
    people = get_user_model().objects.filter(pk__in=set(sent) | set(grouped))
    return tuple(
        PersonCommunity(p.pk, str(p), sent.get(p.pk, 0), _responses(grouped[p.pk], target))
        for p in sorted(people, key=str)
    )


def _moderation(
    workspace: Workspace, received: Any, first: datetime, after: datetime
) -> Moderation:
    flags = received.aggregate(
        hidden=Count("id", filter=Q(hidden=True)), deleted=Count("id", filter=Q(deleted=True))
    )
    banned = Author.objects.filter(
        workspace=workspace, banned_at__gte=first, banned_at__lt=after
    ).count()
    actions = (
        RuleAction.objects.filter(
            workspace=workspace, created_at__gte=first, created_at__lt=after, undone_at=None
        )
        .values("action")
        .annotate(n=Count("id"))
        .order_by("-n", "action")
        .values_list("action", "n")
    )
    return Moderation(flags["hidden"], flags["deleted"], banned, tuple(actions))


def _sentiment(
    received: Any, zone_name: str, by: str, period: Period
) -> tuple[SentimentBucket, ...]:
    """One bucket per day (or week, from its Monday) of the period, quiet ones included."""
    trunc = TruncWeek if by == "week" else TruncDate
    rows = (
        received.annotate(bucket=trunc("created_at", tzinfo=ZoneInfo(zone_name)))
        .values("bucket", "sentiment")
        .annotate(n=Count("id"))
        .values_list("bucket", "sentiment", "n")
    )
    buckets: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for bucket, sentiment, n in rows:
        day = bucket.date() if isinstance(bucket, datetime) else bucket
        kind = sentiment if sentiment in ("positive", "neutral", "negative") else "unknown"
        buckets[day][kind] += n
    starts = period.each_day()
    if by == "week":
        starts = sorted({day - timedelta(days=day.weekday()) for day in starts})
    return tuple(
        SentimentBucket(day, b["positive"], b["neutral"], b["negative"], b["unknown"])
        for day in starts
        for b in [buckets.get(day, defaultdict(int))]
    )
