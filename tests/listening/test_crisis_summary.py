"""The close summary: mentions and sentiment before, during and after; inbox response times;
what was published; the timeline."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.inbox.models import Conversation
from chorus.listening import crisis as crises
from chorus.listening.crisis_summary import percentile, summarise
from chorus.listening.models import Crisis, Mention


def _mentions(workspace, when, sentiments: str) -> None:  # type: ignore[no-untyped-def]
    for i, letter in enumerate(sentiments):
        sentiment = {"+": "positive", "-": "negative", "=": "neutral"}[letter]
        Mention.objects.create(
            workspace=workspace,
            network="rss",
            remote_id=f"{when.isoformat()}-{i}",
            text=sentiment,
            sentiment=sentiment,
            published_at=when,
        )


def _conversation(channel, started, answered_after_minutes) -> None:  # type: ignore[no-untyped-def]
    Conversation.objects.create(
        workspace=channel.workspace,
        channel=channel,
        remote_id=f"c{started.timestamp()}-{answered_after_minutes}",
        first_message_at=started,
        first_response_at=None
        if answered_after_minutes is None
        else started + timedelta(minutes=answered_after_minutes),
    )


def test_figures_before_during_after(alice, workspace_a, workspace_c, channel_a) -> None:
    now = timezone.now()
    opened, closed = now - timedelta(hours=3), now - timedelta(hours=1)
    crisis = crises.open_crisis(workspace_a, alice, "Recall")
    Crisis.objects.filter(pk=crisis.pk).update(opened_at=opened)
    crisis.refresh_from_db()
    _mentions(workspace_a, opened - timedelta(minutes=30), "++-")  # before (2 h window)
    _mentions(workspace_a, opened - timedelta(hours=3), "---")  # older than "before"
    _mentions(workspace_a, opened + timedelta(minutes=10), "-----+=")  # during
    _mentions(workspace_a, now - timedelta(minutes=20), "+-")  # after
    _mentions(workspace_c, opened + timedelta(minutes=10), "------")  # another workspace
    for minutes in (5, 10, 20, 40, 120):
        _conversation(channel_a, opened + timedelta(minutes=15), minutes)
    _conversation(channel_a, opened + timedelta(minutes=16), None)
    crises.close_crisis(crisis, alice, "Done")
    crisis.closed_at = closed
    crisis.save(update_fields=["closed_at"])

    summary = summarise(crisis, now=now)

    before, during, after = summary.windows
    assert (before.total, before.positive, before.negative) == (3, 2, 1)
    assert (during.total, during.positive, during.neutral, during.negative) == (7, 1, 1, 5)
    assert during.net_sentiment == round((1 - 5) / 6, 2)
    assert (after.total, after.net_sentiment) == (2, 0.0)
    assert summary.responses.answered == 5 and summary.responses.unanswered == 1
    assert summary.responses.median_minutes == 20.0
    assert summary.responses.p90_minutes == 120.0


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 0.5) == 5.0
    assert percentile([3.0], 0.9) == 3.0
