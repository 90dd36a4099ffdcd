"""Each calendar chip links to its own variant, in the workspace's zone, with a short text.

The view now makes each chip's links, time and short text in one pass (views/calendar.py
``_label_chips``) instead of ``{% url %}`` and filters per chip: these pin that the chips say
and link exactly what they did.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from chorus.publishing.models import PostTarget, State

from .planning_fixtures import make_channel, planned, target_of

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _day_in_40_days() -> datetime:
    day = (timezone.now().astimezone(PARIS) + timedelta(days=40)).date()
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def test_each_chip_links_to_its_own_variant(alice, alice_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    midnight = _day_in_40_days()
    first = target_of(planned(alice, [channel], "First", midnight + timedelta(hours=8)))
    second = target_of(planned(alice, [channel], "Second", midnight + timedelta(hours=9)))

    body = alice_client.get(f"/publishing/calendar/?date={midnight.date()}").content.decode()

    for target in (first, second):
        assert f'href="{reverse("publishing:reschedule", args=[target.pk])}"' in body
        move = reverse("publishing:calendar_move", args=[target.pk])
        assert f'data-target="{target.pk}" data-move="{move}"' in body


def test_chip_time_is_local_and_long_text_is_cut_after_six_words(  # type: ignore[no-untyped-def]
    alice, alice_client, workspace_a
) -> None:
    channel = make_channel(workspace_a)
    day = _day_in_40_days().date()
    at_utc = datetime.combine(day, time(21, 5), tzinfo=UTC)  # 22:05 or 23:05 in Paris
    planned(alice, [channel], "One two three four five six seven <eight>", at_utc)

    body = alice_client.get(f"/publishing/calendar/?date={day}").content.decode()

    assert f'<span class="chip-time">{at_utc.astimezone(PARIS):%H:%M}</span>' in body
    assert '<span class="chip-text">One two three four five six …</span>' in body
    assert "&lt;eight&gt;" not in body and "<eight>" not in body


def test_only_movable_chips_are_draggable(alice, alice_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    midnight = _day_in_40_days()
    kept = target_of(planned(alice, [channel], "Still planned", midnight + timedelta(hours=8)))
    done = target_of(planned(alice, [channel], "Already out", midnight + timedelta(hours=9)))
    PostTarget.objects.filter(pk=done.pk).update(state=State.PUBLISHED)

    body = alice_client.get(f"/publishing/calendar/?date={midnight.date()}").content.decode()

    assert f'draggable="true" data-target="{kept.pk}"' in body
    assert f'draggable="true" data-target="{done.pk}"' not in body
    assert f'data-target="{done.pk}"' in body


def test_charlie_sees_no_chip_of_workspace_a(alice, charlie_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    midnight = _day_in_40_days()
    target = target_of(planned(alice, [channel], "Private plan", midnight + timedelta(hours=8)))

    body = charlie_client.get(f"/publishing/calendar/?date={midnight.date()}").content.decode()

    assert "Private plan" not in body
    assert reverse("publishing:reschedule", args=[target.pk]) not in body
