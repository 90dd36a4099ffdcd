"""`chorus demo` shows the whole product: a month of posts in every state, queue slots, images,
and channels that say the same thing on every page."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel, ChannelStatus
from chorus.publishing import dispatcher, sweeper
from chorus.publishing.models import Media, PostTarget, QueueSlot, State
from chorus.today.demo import DEMO_EMAIL, NOT_LINKED, create_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace, _password = create_demo("demo pass phrase 42")
    return workspace


@pytest.fixture
def demo_client(demo) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    return client


def test_posts_in_every_state_over_a_month(demo) -> None:  # type: ignore[no-untyped-def]
    targets = PostTarget.objects.filter(workspace=demo)
    states = set(targets.values_list("state", flat=True))
    # "publishing" lasts seconds on a real channel: a demo frozen in it would be a lie; a deleted
    # post leaves every list and the calendar, so it would show nothing.
    assert states == set(State.values) - {State.PUBLISHING, State.DELETED}
    times = [t for t in targets.values_list("scheduled_at", flat=True) if t]
    assert (max(times) - min(times)).days >= 28
    assert min(times) < timezone.now() < max(times)
    assert {"mastodon", "bluesky"} == set(targets.values_list("channel__network", flat=True))


def test_queue_slots_and_images(demo) -> None:  # type: ignore[no-untyped-def]
    assert QueueSlot.objects.filter(workspace=demo).count() >= 10
    images = Media.objects.filter(workspace=demo)
    assert images.count() == 2
    for image in images:
        assert Path(image.file.path).stat().st_size == image.size_bytes > 0
        assert image.alt_text and image.targets.exists()


def test_channels_say_the_same_everywhere(demo, demo_client: Client) -> None:  # type: ignore[no-untyped-def]
    channels = Channel.objects.filter(workspace=demo)
    assert {c.status for c in channels} == {ChannelStatus.NEEDS_RECONNECT}
    today = html.unescape(demo_client.get("/today/").content.decode())
    assert "Every channel is connected." not in today
    assert "Channels to reconnect" in today and NOT_LINKED in today
    listing = html.unescape(demo_client.get("/channels/").content.decode())
    assert "Needs reconnecting" in listing and "Disconnected" not in listing
    page = html.unescape(demo_client.get(f"/channels/{channels[0].pk}/").content.decode())
    assert NOT_LINKED in page and "Disconnected" not in page


def test_pages_show_the_plan(demo, demo_client: Client) -> None:  # type: ignore[no-untyped-def]
    calendar = demo_client.get("/publishing/calendar/").content.decode()
    assert calendar.count("cal-chip") >= 5
    mastodon = Channel.objects.get(workspace=demo, network="mastodon")
    queue = demo_client.get(f"/publishing/queue/{mastodon.pk}/").content.decode()
    assert "08:30" in queue and "17:45" in queue
    assert "Café Lumière recrute" in demo_client.get("/publishing/approvals/").content.decode()


def test_nothing_is_ever_sent(demo) -> None:  # type: ignore[no-untyped-def]
    """A demo post falling due fails with 'reconnect'; the sweeper's reconciliation of the
    unconfirmed one reaches no network (there is none to reach) and breaks nothing."""
    due = PostTarget.objects.filter(workspace=demo, state=State.SCHEDULED).first()
    assert due is not None
    PostTarget.objects.filter(pk=due.pk).update(scheduled_at=timezone.now(), due_at=timezone.now())
    due.refresh_from_db()
    assert dispatcher.publish_loaded(due) == "failed"
    sweeper.sweep(timezone.now())
    assert not PostTarget.objects.filter(workspace=demo, state=State.PUBLISHING).exists()
