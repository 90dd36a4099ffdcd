"""Relative times say "just now" for the last minute, never "0 minutes ago"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from chorus.core.templatetags.relative_time import time_ago
from chorus.workspaces.models import Notification
from tests.conftest import signed_in


def test_the_last_minute_is_just_now() -> None:
    assert time_ago(timezone.now() - timedelta(seconds=20)) == "just now"


def test_older_is_said_in_minutes_then_hours() -> None:
    assert time_ago(timezone.now() - timedelta(minutes=5, seconds=3)) == "5\xa0minutes ago"
    assert time_ago(timezone.now() - timedelta(hours=2, seconds=5)) == "2\xa0hours ago"


def test_in_french() -> None:
    with translation.override("fr"):
        assert time_ago(timezone.now()) == "à l'instant"
        assert time_ago(timezone.now() - timedelta(minutes=5, seconds=3)) == "il y a 5\xa0minutes"


def test_nothing_for_no_time() -> None:
    assert time_ago(None) == ""


@pytest.mark.django_db
def test_a_fresh_notification_says_just_now(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    Notification.objects.create(workspace=workspace_a, user=alice, message="Reconnect Mastodon")
    body = signed_in(alice).get("/workspace/notifications/").content.decode()
    assert "just now" in body and "0\xa0minutes" not in body and "0 minutes" not in body
