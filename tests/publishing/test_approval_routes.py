"""Every page that changes a post or a variant, for alice (owner), bob (a contributor here) and
charlie (outsider): bob's change, to anyone's post, waits for approval; charlie changes nothing.

The issue "Trust what exists" found three ways round the approval: editing an owner's post with
"publish", "publish now" on an owner's variant, and editing an owner's scheduled post.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import PostTarget, QueueSlot, State

from .planning_fixtures import make_channel, planned, target_of

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def channel(workspace_a) -> Channel:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    for weekday in range(7):
        QueueSlot.objects.create(
            workspace=workspace_a, channel=channel, weekday=weekday, time=time(9, 0)
        )
    return channel


@pytest.fixture
def alices(alice, channel) -> PostTarget:  # type: ignore[no-untyped-def]
    """Alice's post, scheduled (no approval needed: she is the owner) in five days."""
    return target_of(planned(alice, [channel], "Alice's words", _at(_day(5), 10)))


def _day(ahead: int) -> date:
    return (datetime.now(PARIS) + timedelta(days=ahead)).date()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _client(who: str, request: pytest.FixtureRequest) -> Client:
    request.getfixturevalue("contributor_bob")
    return request.getfixturevalue(f"{who}_client")  # type: ignore[no-any-return]


def _edit(action: str, **more: str) -> Callable[[Client, PostTarget], object]:
    def send(client: Client, target: PostTarget):  # type: ignore[no-untyped-def]
        fields = {"text": "Bob's words", "channels": [target.channel_id], "action": action}
        return client.post(f"/publishing/posts/{target.post_id}/edit/", fields | more)

    return send


def _variant(verb: str, **data: str) -> Callable[[Client, PostTarget], object]:
    def send(client: Client, target: PostTarget):  # type: ignore[no-untyped-def]
        return client.post(f"/publishing/variants/{target.pk}/{verb}/", data)

    return send


def _calendar_move(client: Client, target: PostTarget):  # type: ignore[no-untyped-def]
    data = {"date": _day(7).isoformat()}
    return client.post(f"/publishing/calendar/move/{target.pk}/", data)


def _reschedule_form(client: Client, target: PostTarget):  # type: ignore[no-untyped-def]
    data = {"at": f"{_day(8).isoformat()}T18:45"}
    return client.post(f"/publishing/targets/{target.pk}/reschedule/", data)


# Routes that ask for the post to go out (now, at a time, in the queue) or change it.
GOING_OUT = {
    "edit and publish": _edit("publish"),
    "edit and schedule": _edit("schedule", scheduled_at=f"{_day(6).isoformat()}T11:00"),
    "edit and queue": _edit("queue"),
    "edit, keep as is": _edit("draft"),
    "publish now": _variant("publish-now"),
    "reschedule": _variant("reschedule", when=f"{_day(9).isoformat()}T08:15"),
    "calendar move": _calendar_move,
    "reschedule form": _reschedule_form,
}


def _snapshot(target: PostTarget) -> tuple[object, ...]:
    target.refresh_from_db()
    target.post.refresh_from_db()
    return target.state, target.text, target.scheduled_at, target.version, target.post.text


@pytest.mark.parametrize("route", GOING_OUT)
def test_bobs_change_to_alices_post_waits_for_approval(route, alices, request) -> None:
    response = GOING_OUT[route](_client("bob", request), alices)

    assert response.status_code in (200, 302)  # type: ignore[attr-defined]
    alices.refresh_from_db()
    alices.post.refresh_from_db()
    assert alices.state == State.AWAITING_APPROVAL
    assert alices.post.needs_approval and alices.post.approved_at is None
    assert not services.is_approved(alices.post)


@pytest.mark.parametrize("route", GOING_OUT)
def test_alices_change_to_her_post_keeps_it_going_out(route, alices, request) -> None:
    GOING_OUT[route](_client("alice", request), alices)

    alices.refresh_from_db()
    assert alices.state == State.SCHEDULED


@pytest.mark.parametrize("route", GOING_OUT)
def test_charlie_changes_nothing(route, alices, request) -> None:
    before = _snapshot(alices)

    response = GOING_OUT[route](_client("charlie", request), alices)

    assert response.status_code in (403, 404)  # type: ignore[attr-defined]
    assert _snapshot(alices) == before


def test_bobs_publish_on_alices_draft_waits_then_alice_approves_it(
    alice, alice_client, contributor_bob, bob_client, channel
) -> None:
    draft = target_of(services.create_post(channel.workspace, alice, "Alice's draft", [channel]))

    bob_client.post(f"/publishing/variants/{draft.pk}/publish-now/")

    draft.refresh_from_db()
    # Not "now" while it waits (it would only pass): it goes out as soon as it is approved.
    assert (draft.state, draft.scheduled_at) == (State.AWAITING_APPROVAL, None)
    refused = bob_client.post(f"/publishing/approvals/{draft.post_id}/approve/")
    assert refused.status_code == 403
    # The words waiting are Bob's, so Alice, the post's author, may approve them.
    alice_client.post(f"/publishing/approvals/{draft.post_id}/approve/")
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED


def test_retry_of_a_failed_variant_by_bob_waits(alices, contributor_bob, bob_client) -> None:
    PostTarget.objects.filter(pk=alices.pk).update(state=State.FAILED)

    bob_client.post(f"/publishing/variants/{alices.pk}/retry/")

    alices.refresh_from_db()
    assert alices.state == State.AWAITING_APPROVAL


def test_held_posts_are_for_those_who_may_publish(alices, request) -> None:
    PostTarget.objects.filter(pk=alices.pk).update(held=True)
    bob, charlie = _client("bob", request), _client("charlie", request)
    alice = _client("alice", request)

    for client, status in ((bob, 403), (charlie, 404)):
        answer = client.post(f"/publishing/held/{alices.pk}/", {"action": "publish"})
        assert answer.status_code == status
    assert bob.post("/publishing/held/all/", {"action": "publish"}).status_code == 403
    alices.refresh_from_db()
    assert alices.held

    alice.post(f"/publishing/held/{alices.pk}/", {"action": "publish"})
    alices.refresh_from_db()
    assert (alices.state, alices.held) == (State.SCHEDULED, False)


def test_bob_cannot_approve_or_send_back(alices, request) -> None:
    bob = _client("bob", request)
    PostTarget.objects.filter(pk=alices.pk).update(state=State.AWAITING_APPROVAL)
    post_id = alices.post_id
    urls = [
        f"/publishing/approvals/{post_id}/approve/",
        f"/publishing/approvals/{post_id}/request-changes/",
        f"/publishing/posts/{post_id}/approve/",
        f"/publishing/posts/{post_id}/needs-changes/",
    ]
    for url in urls:
        assert bob.post(url, {"comment": "no", "text": "no"}).status_code == 403
        assert _client("charlie", request).post(url, {"comment": "no"}).status_code == 404
    alices.refresh_from_db()
    assert alices.state == State.AWAITING_APPROVAL


def test_bobs_own_new_post_published_from_the_composer_waits(
    contributor_bob, bob_client, channel
) -> None:
    bob_client.post(
        "/publishing/compose/", {"text": "Mine", "channels": [channel.pk], "action": "publish"}
    )

    (target,) = PostTarget.objects.filter(post__author=contributor_bob)
    assert target.state == State.AWAITING_APPROVAL


def test_bobs_csv_import_waits_for_approval(contributor_bob, bob_client, channel) -> None:
    from django.core.files.base import ContentFile

    when = f"{_day(3).isoformat()} 09:00"
    body = f"text,channels,time,media\nPlanned by Bob,{channel.name},{when},\n".encode()
    bob_client.post("/publishing/import/", {"file": ContentFile(body, name="plan.csv")})

    (target,) = PostTarget.objects.filter(post__author=contributor_bob)
    assert target.state == State.AWAITING_APPROVAL
