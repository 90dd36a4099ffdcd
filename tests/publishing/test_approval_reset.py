"""Changing an approved post withdraws its approval: the variants wait for a new one, so nobody
publishes words a reviewer never saw. An approver who is not the author changing it approves it
by doing so (recorded in their name); saving without a change keeps the approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import approvals, services
from chorus.publishing.composition import Composition, VariantInput, save_composition
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Media, Post, PostTarget, State
from chorus.workspaces.models import Membership, Role, Workspace


@pytest.fixture
def dana(workspace_a: Workspace) -> User:
    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


@pytest.fixture
def approved(dana: User, bob: User, channel_a: Channel) -> Post:
    """Dana's post, approved by Bob, due in an hour."""
    post = save_composition(channel_a.workspace, dana, Composition("Ride on Sunday", [channel_a]))
    services.schedule_post(post, timezone.now() + timedelta(hours=1))
    approvals.approve(post, by=bob)
    return post


def _states(post: Post) -> set[str]:
    return set(post.targets.values_list("state", flat=True))


def _resave(post: Post, by: User, composition: Composition) -> Post:
    post = save_composition(post.workspace, by, composition, post)
    post.refresh_from_db()
    return post


def test_the_author_changing_the_text_withdraws_the_approval(dana, approved, channel_a) -> None:
    post = _resave(approved, dana, Composition("Ride on Saturday", [channel_a]))

    assert post.approved_at is None and post.approved_by is None
    assert _states(post) == {State.AWAITING_APPROVAL}
    (target,) = post.targets.all()
    PostTarget.objects.filter(pk=target.pk).update(due_at=timezone.now())  # its time comes
    assert publish_target(target.pk) == "skipped"  # a task queued before the change: nothing


def test_a_changed_variant_of_its_own_withdraws_it(dana, approved, channel_a) -> None:
    variant = {channel_a.pk: VariantInput(text="Ride on Sunday!!", customised=True)}
    post = _resave(approved, dana, Composition("Ride on Sunday", [channel_a], variants=variant))

    assert post.approved_at is None
    assert _states(post) == {State.AWAITING_APPROVAL}


def test_adding_a_picture_withdraws_it(dana, approved, channel_a) -> None:
    picture = Media.objects.create(
        workspace=channel_a.workspace, file="media/x.png", mime_type="image/png"
    )
    post = _resave(approved, dana, Composition("Ride on Sunday", [channel_a], media=[picture]))

    assert post.approved_at is None
    assert _states(post) == {State.AWAITING_APPROVAL}


def test_adding_a_channel_withdraws_it(dana, approved, channel_a) -> None:
    other = Channel.objects.create(
        workspace=channel_a.workspace, network="mastodon", name="Second", remote_id="second"
    )
    post = _resave(approved, dana, Composition("Ride on Sunday", [channel_a, other]))

    assert post.approved_at is None
    assert State.SCHEDULED not in _states(post)


def test_saving_without_a_change_keeps_the_approval(bob, dana, approved, channel_a) -> None:
    post = _resave(approved, dana, Composition("Ride on Sunday", [channel_a]))

    assert post.approved_by == bob
    assert _states(post) == {State.SCHEDULED}


def test_an_approver_editing_it_approves_it_in_their_name(alice, approved, channel_a) -> None:
    post = _resave(approved, alice, Composition("Ride on Sunday, 9:00", [channel_a]))

    assert post.approved_by == alice
    assert post.approved_at is not None
    assert _states(post) == {State.SCHEDULED}


def test_an_approver_editing_their_own_post_still_needs_someone_else(
    alice, bob, channel_a, workspace_a
) -> None:
    # A post that needed approval when written (its author was a contributor then, say).
    post = save_composition(workspace_a, alice, Composition("Mine", [channel_a]))
    Post.objects.filter(pk=post.pk).update(needs_approval=True)
    post.refresh_from_db()
    services.schedule_post(post, timezone.now() + timedelta(hours=1))
    approvals.approve(post, by=bob)

    post = _resave(post, alice, Composition("Mine, changed", [channel_a]))

    assert post.approved_at is None
    assert _states(post) == {State.AWAITING_APPROVAL}
