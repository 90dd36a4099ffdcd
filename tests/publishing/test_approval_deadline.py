"""A post still awaiting approval when its time comes fails, and its author is told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.publishing import approvals, services
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, State
from chorus.publishing.sweeper import dispatch_due
from chorus.workspaces.models import Membership, Notification, Role


@pytest.fixture
def dana(workspace_a) -> User:
    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


@pytest.fixture
def second_channel(workspace_a, standin):  # type: ignore[no-untyped-def]
    return channels.connect(
        workspace_a, "mastodon", {"access_token": "tok-2"}, {"base_url": standin.root}
    )


def _dispatch() -> int:
    return dispatch_due(lambda pk, eta: publish_target(pk))


def test_unapproved_post_fails_at_its_time_and_the_author_is_told(
    dana, bob, channel_a, second_channel, standin
) -> None:
    post = services.create_post(
        channel_a.workspace, dana, "Our summer sale starts now", [channel_a, second_channel]
    )
    targets = services.schedule_post(post, timezone.now() - timedelta(seconds=5))
    assert {t.state for t in targets} == {State.AWAITING_APPROVAL}

    _dispatch()

    for target in targets:
        target.refresh_from_db()
        assert target.state == State.FAILED
        assert target.last_error == "Not approved before its time"
        assert target.attempt_log.get().outcome == Outcome.FAILED
    (note,) = Notification.objects.all()  # one per post, not one per channel
    assert note.user == dana
    assert note.workspace == channel_a.workspace
    assert note.link == f"/publishing/posts/{post.pk}/"
    assert "Our summer sale starts now" in note.message
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]
    assert standin.store.stats()["statuses"] == 0

    _dispatch()  # the next sweep does not tell again
    assert Notification.objects.count() == 1


def test_post_awaiting_approval_before_its_time_is_left_alone(dana, channel_a) -> None:
    post = services.create_post(channel_a.workspace, dana, "Next week", [channel_a])
    (target,) = services.schedule_post(post, timezone.now() + timedelta(days=7))

    _dispatch()

    target.refresh_from_db()
    assert target.state == State.AWAITING_APPROVAL
    assert not Notification.objects.exists()


def test_post_approved_before_its_time_is_not_failed(dana, bob, channel_a) -> None:
    post = services.create_post(channel_a.workspace, dana, "Approved just in time", [channel_a])
    (target,) = services.schedule_post(post, timezone.now() + timedelta(seconds=30))
    approvals.approve(post, by=bob)

    dispatch_due(lambda pk, eta: None, timezone.now() + timedelta(seconds=60))

    target.refresh_from_db()
    assert target.state == State.SCHEDULED
    assert not Notification.objects.exists()


def test_the_contributor_whose_change_waited_is_told_not_the_author(alice, dana, channel_a) -> None:
    post = services.create_post(channel_a.workspace, alice, "Alice's announcement", [channel_a])
    (target,) = services.schedule_post(post, timezone.now() + timedelta(hours=1), by=alice)
    services.reschedule(target, timezone.now() - timedelta(seconds=5), by=dana)

    _dispatch()

    target.refresh_from_db()
    assert target.state == State.FAILED
    (note,) = Notification.objects.all()
    assert note.user == dana  # whose change waited, not alice who wrote the post
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]
