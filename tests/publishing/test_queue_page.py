"""The queue settings page: the weekly grid, adding and removing slots, the preset, what is next."""

from __future__ import annotations

from datetime import time

import pytest

from chorus.publishing import services
from chorus.publishing.models import QueueSlot
from chorus.publishing.queue import add_to_queue
from chorus.workspaces.models import Membership, Role
from tests.conftest import signed_in

from .planning_fixtures import make_channel

pytestmark = pytest.mark.django_db


def _slots(channel) -> set[tuple[int, time]]:  # type: ignore[no-untyped-def]
    return set(QueueSlot.objects.filter(channel=channel).values_list("weekday", "time"))


def test_add_slots_on_several_days_once_each(alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    url = f"/publishing/queue/{channel.pk}/slots/"

    alice_client.post(url, {"weekdays": ["0", "2"], "time": "08:15"})
    response = alice_client.post(url, {"weekdays": ["0", "4"], "time": "08:15"}, follow=True)

    assert _slots(channel) == {(0, time(8, 15)), (2, time(8, 15)), (4, time(8, 15))}
    assert "1 time slot added." in response.content.decode()


def test_bad_slot_input_shows_field_errors(alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    response = alice_client.post(f"/publishing/queue/{channel.pk}/slots/", {"time": "25:99"})
    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    assert _slots(channel) == set()


def test_preset_and_remove(alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    alice_client.post(f"/publishing/queue/{channel.pk}/preset/")
    assert len(_slots(channel)) == 15
    slot = QueueSlot.objects.get(channel=channel, weekday=0, time=time(12, 30))

    alice_client.post(f"/publishing/queue/{channel.pk}/slots/{slot.pk}/remove/")

    assert (0, time(12, 30)) not in _slots(channel) and len(_slots(channel)) == 14
    alice_client.post(f"/publishing/queue/{channel.pk}/clear/")
    assert _slots(channel) == set()


def test_next_ten_slots_show_what_is_in_them(alice, alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    alice_client.post(f"/publishing/queue/{channel.pk}/preset/")
    add_to_queue(
        services.create_post(workspace_a, alice, "First <queued> post", [channel]), by=alice
    )

    body = alice_client.get(f"/publishing/queue/{channel.pk}/").content.decode()

    upcoming = body.split("upcoming-slots")[1].split("</ul>")[0]
    assert upcoming.count("<li>") == 10
    assert "First &lt;queued&gt; post" in upcoming
    assert upcoming.count("Free") == 9


def test_the_index_lists_channels_or_goes_straight_to_the_only_one(alice_client, workspace_a):
    only = make_channel(workspace_a)
    assert alice_client.get("/publishing/queue/").url == f"/publishing/queue/{only.pk}/"
    make_channel(workspace_a, "Second")
    assert "No time slots yet" in alice_client.get("/publishing/queue/").content.decode()


def test_contributors_see_but_cannot_change_slots(bob, workspace_a) -> None:
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    channel = make_channel(workspace_a)
    client = signed_in(bob)
    assert client.get(f"/publishing/queue/{channel.pk}/").status_code == 200
    assert client.post(f"/publishing/queue/{channel.pk}/preset/").status_code == 403
    assert _slots(channel) == set()


def test_charlie_cannot_see_or_change_workspace_a_queues(alice_client, charlie_client, workspace_a):
    channel = make_channel(workspace_a)
    alice_client.post(f"/publishing/queue/{channel.pk}/preset/")
    slot = QueueSlot.objects.filter(channel=channel).first()

    assert charlie_client.get(f"/publishing/queue/{channel.pk}/").status_code == 404
    assert charlie_client.post(f"/publishing/queue/{channel.pk}/preset/").status_code == 404
    assert charlie_client.post(f"/publishing/queue/{channel.pk}/clear/").status_code == 404
    assert (
        charlie_client.post(f"/publishing/queue/{channel.pk}/slots/{slot.pk}/remove/").status_code
        == 404
    )
    assert len(_slots(channel)) == 15
