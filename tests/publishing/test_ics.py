"""The plan as iCalendar: a download for members and a signed subscription URL for calendar apps."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from chorus.publishing import ics, services
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Membership

from .planning_fixtures import make_channel, planned, target_of

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _when(days: int, hour: int) -> datetime:
    day = (timezone.now().astimezone(PARIS) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS)


def _events(body: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_members_download_one_event_per_scheduled_or_published_variant(
    alice, alice_client, workspace_a
) -> None:
    first, second = (
        make_channel(workspace_a, "Mastodon"),
        make_channel(workspace_a, "Bluesky", "bluesky"),
    )
    post = planned(
        alice, [first, second], 'Launch; tonight, 20:00 — "bring friends"\nline two', _when(3, 9)
    )
    out = planned(alice, [first], "Already out", _when(-2, 9))
    PostTarget.objects.filter(post=out).update(state=State.PUBLISHED)
    draft = planned(alice, [first], "Just a draft", _when(4, 9))
    services.drop(target_of(draft))

    response = alice_client.get("/publishing/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert len(events) == 3
    assert 'Mastodon: Launch; tonight, 20:00 — "bring friends" line two' in summaries
    assert not any("Just a draft" in s for s in summaries)
    launch = next(e for e in events if str(e["SUMMARY"]).startswith("Bluesky"))
    assert launch.decoded("DTSTART") == _when(3, 9)
    assert 'Launch; tonight, 20:00 — "bring friends"\nline two' in str(launch["DESCRIPTION"])
    # Escaping is icalendar's: a ; or , in the text does not split the property.
    assert b"Launch\\; tonight\\, 20:00" in response.content
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == 3
    assert str(post.targets.get(channel=first).idempotency_key) + "@chorus" in uids


def test_a_moved_post_keeps_its_uid(alice, alice_client, workspace_a) -> None:
    target = target_of(planned(alice, [make_channel(workspace_a)], "Moving", _when(3, 9)))
    before = {str(e["UID"]) for e in _events(alice_client.get("/publishing/calendar.ics").content)}
    services.reschedule(target, _when(5, 14), by=alice)
    after = _events(alice_client.get("/publishing/calendar.ics").content)
    assert {str(e["UID"]) for e in after} == before
    assert after[0].decoded("DTSTART") == _when(5, 14)


def test_the_signed_feed_works_without_a_session(alice, alice_client, workspace_a) -> None:
    planned(alice, [make_channel(workspace_a)], "In the feed", _when(2, 10))
    page = alice_client.get("/publishing/calendar/").content.decode()
    url = ics.feed_url(alice, workspace_a)
    assert url in page

    response = Client().get(url.replace("http://127.0.0.1:8000", ""))

    assert response.status_code == 200
    assert [str(e["SUMMARY"]) for e in _events(response.content)] == [
        "Brand on Mastodon: In the feed"
    ]


def test_a_tampered_or_forged_token_fails(alice, charlie, workspace_a, workspace_c) -> None:
    token = ics.feed_token(alice, workspace_a)
    body, signature = token.rsplit(":", 1)
    tampered = body + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
    # Charlie takes his own valid token and swaps in workspace A: the signature no longer holds.
    _charlie_body, charlie_signature = ics.feed_token(charlie, workspace_c).rsplit(":", 1)
    payload = json.dumps({"u": charlie.pk, "w": workspace_a.pk}, separators=(",", ":"))
    forged = signing.b64_encode(payload.encode()).decode() + ":" + charlie_signature

    for bad in (tampered, "nonsense", forged):
        assert Client().get(f"/publishing/calendar/feed/{bad}.ics").status_code == 404
    assert Client().get(f"/publishing/calendar/feed/{token}.ics").status_code == 200


def test_a_token_for_a_workspace_one_left_stops_working(alice, bob, workspace_a) -> None:
    url = ics.feed_url(bob, workspace_a).replace("http://127.0.0.1:8000", "")
    assert Client().get(url).status_code == 200
    Membership.objects.filter(user=bob, workspace=workspace_a).delete()
    assert Client().get(url).status_code == 404


def test_changing_the_salt_revokes_every_link(alice, workspace_a, settings) -> None:
    url = ics.feed_url(alice, workspace_a).replace("http://127.0.0.1:8000", "")
    settings.CHORUS_CALENDAR_FEED_SALT = "rotated"
    assert Client().get(url).status_code == 404


def test_charlie_downloads_only_his_own_plan(alice, charlie_client, workspace_a) -> None:
    planned(alice, [make_channel(workspace_a)], "Alice only", _when(2, 10))
    assert _events(charlie_client.get("/publishing/calendar.ics").content) == []
