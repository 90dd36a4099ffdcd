"""Contributors' posts wait for approval by someone else who may approve."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chorus.accounts.models import User
from chorus.publishing import approvals, services
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import State
from chorus.workspaces.models import Membership, Role


@pytest.fixture
def dana(workspace_a) -> User:
    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


def test_contributors_post_waits_then_is_scheduled_on_approval(bob, dana, channel_a) -> None:
    post = services.create_post(channel_a.workspace, dana, "Please check", [channel_a])
    (target,) = services.schedule_post(post, timezone.now())
    assert target.state == State.AWAITING_APPROVAL
    assert publish_target(target.pk) == "skipped"

    (approved,) = approvals.approve(post, by=bob)

    assert approved.state == State.SCHEDULED
    assert publish_target(target.pk) == "published"


def test_nobody_approves_their_own_post(alice, channel_a) -> None:
    post = services.create_post(channel_a.workspace, alice, "Mine", [channel_a])
    with pytest.raises(services.PublishingRuleBroken):
        approvals.approve(post, by=alice)


def test_a_contributor_cannot_approve(alice, dana, bob, channel_a) -> None:
    post = services.create_post(channel_a.workspace, bob, "Bob's", [channel_a])
    with pytest.raises(services.PublishingRuleBroken):
        approvals.approve(post, by=dana)


def test_editors_posts_need_no_approval(bob, channel_a) -> None:
    post = services.create_post(channel_a.workspace, bob, "Straight out", [channel_a])
    (target,) = services.schedule_post(post, timezone.now())
    assert target.state == State.SCHEDULED


def test_editing_main_text_updates_only_untouched_variants(bob, channel_a, workspace_a) -> None:
    from chorus.channels.models import Channel

    other = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="B", remote_id="9"
    )
    post = services.create_post(workspace_a, bob, "v1", [channel_a, other])
    first, second = post.targets.order_by("pk")
    services.customise(second, "my own words")

    services.edit_text(post, "v2")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "v2"
    assert second.text == "my own words"
