"""Today shows what goes out today, what waits for approval, what is held, what to reconnect."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chorus.channels.models import ChannelStatus
from chorus.publishing import services
from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Membership, Role
from tests.conftest import signed_in
from tests.publishing.planning_fixtures import make_channel, planned

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def mid_morning_in_paris(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Ten in the morning in Paris today, so 'later today' exists whenever the suite runs."""
    ten = datetime.combine(timezone.now().astimezone(PARIS).date(), time(10), PARIS)
    monkeypatch.setattr(timezone, "now", lambda: ten.astimezone(UTC))
    return ten


def test_going_out_today_lists_the_rest_of_the_day_with_time_and_channel(
    alice, alice_client, workspace_a, mid_morning_in_paris
) -> None:
    channel = make_channel(workspace_a, "Café <Mastodon>")
    soon = mid_morning_in_paris + timedelta(minutes=5)
    planned(alice, [channel], "Lunch menu is out", soon)
    tomorrow = datetime.combine(soon.date() + timedelta(days=1), time(9), tzinfo=PARIS)
    planned(alice, [channel], "Tomorrow's post", tomorrow)

    body = alice_client.get("/today/").content.decode()

    section = body.split("section-going-out-today")[1].split("</section>")[0]
    assert "Lunch menu is out" in section and "Tomorrow" not in section
    assert f"{soon:%H:%M} · Café &lt;Mastodon&gt;" in section
    assert "/publishing/calendar/" in section


def test_nothing_going_out_says_so(alice_client) -> None:
    assert "Nothing else is planned today." in alice_client.get("/today/").content.decode()


def test_approvers_see_what_waits_for_them_but_not_their_own(alice, bob, workspace_a) -> None:
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    channel = make_channel(workspace_a)
    post = services.create_post(workspace_a, bob, "Please check my post", [channel])
    services.schedule_post(post, timezone.now() + timedelta(days=1))

    alice_page = signed_in(alice).get("/today/").content.decode()
    bob_page = signed_in(bob).get("/today/").content.decode()

    assert "Waiting for your approval" in alice_page and "Please check my post" in alice_page
    assert f"/publishing/approvals/#post-{post.pk}" in alice_page
    assert "Waiting for your approval" not in bob_page  # contributors do not approve


def test_approvers_see_a_contributors_change_to_their_own_post(alice, bob, workspace_a) -> None:
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    channel = make_channel(workspace_a)
    post = services.create_post(workspace_a, alice, "Alice wrote this", [channel])
    (target,) = services.schedule_post(post, timezone.now() + timedelta(days=1), by=alice)
    services.reschedule(target, timezone.now() + timedelta(days=2), by=bob)

    alice_page = signed_in(alice).get("/today/").content.decode()

    section = alice_page.split("section-approvals")[1].split("</section>")[0]
    assert "Alice wrote this" in section  # bob's change waits on alice, though she wrote it
    assert "Bob Durand" in section and "Alice Martin" not in section  # whose change it is


def test_held_posts_appear_only_when_there_are_some(alice, alice_client, workspace_a) -> None:
    assert "Held while paused" not in alice_client.get("/today/").content.decode()
    channel = make_channel(workspace_a)
    post = planned(alice, [channel], "Held one", timezone.now() + timedelta(hours=2))
    PostTarget.objects.filter(post=post).update(held=True)

    body = alice_client.get("/today/").content.decode()

    assert "Held while paused" in body and "Held one" in body and "/publishing/held/" in body


def test_today_never_says_every_channel_is_connected_when_one_is_not(
    alice_client, workspace_a
) -> None:
    """Seen on the demo: a disconnected channel, and Today said every channel was connected."""
    assert "Every channel is connected." not in alice_client.get("/today/").content.decode()
    channel = make_channel(workspace_a, "Switched off")
    channel.status = ChannelStatus.DISCONNECTED
    channel.save()

    body = alice_client.get("/today/").content.decode()

    assert "Every channel is connected." not in body
    assert "No channel needs reconnecting." in body


def test_channels_to_reconnect(alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a, "Expired account")
    assert "No channel needs reconnecting." in alice_client.get("/today/").content.decode()
    channel.status = ChannelStatus.NEEDS_RECONNECT
    channel.save()

    body = alice_client.get("/today/").content.decode()

    assert "Channels to reconnect" in body and "Expired account" in body
    assert f"/channels/{channel.pk}/" in body


def test_charlie_sees_nothing_of_workspace_a(alice, charlie_client, workspace_a) -> None:
    channel = make_channel(workspace_a, "A's channel")
    channel.status = ChannelStatus.NEEDS_RECONNECT
    channel.save()
    PostTarget.objects.filter(
        post=planned(alice, [channel], "A's held post", timezone.now() + timedelta(hours=1))
    ).update(held=True)

    body = charlie_client.get("/today/").content.decode()

    assert "A&#x27;s" not in body and "A's" not in body
