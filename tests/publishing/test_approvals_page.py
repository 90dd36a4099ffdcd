"""Approvals page: approvers see waiting posts, approve them (never their own) or send them back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.models import Post, PostComment, State
from chorus.workspaces.models import Membership, Role
from tests.conftest import signed_in

from .planning_fixtures import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(workspace_a):  # type: ignore[no-untyped-def]
    """A contributor of workspace A: her posts wait for approval."""
    from chorus.accounts.models import User

    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


def _waiting(author, workspace, text: str = "Our <b>summer</b> sale") -> Post:  # type: ignore[no-untyped-def]
    channels = [make_channel(workspace, "Mastodon"), make_channel(workspace, "Bluesky", "bluesky")]
    post = services.create_post(workspace, author, text, channels)
    services.schedule_post(post, timezone.now() + timedelta(days=2))
    return post


def test_approvers_see_each_variant_with_text_channel_and_time(alice_client, dana, workspace_a):
    post = _waiting(dana, workspace_a)

    body = alice_client.get("/publishing/approvals/").content.decode()

    assert f'id="post-{post.pk}"' in body
    assert body.count("Our &lt;b&gt;summer&lt;/b&gt; sale") == 2
    assert "Mastodon" in body and "Bluesky" in body and "Dana" in body
    assert "Awaiting approval" in body
    assert f"/publishing/approvals/{post.pk}/approve/" in body


def test_approve_schedules_every_variant(alice_client, alice, dana, workspace_a) -> None:
    post = _waiting(dana, workspace_a)

    response = alice_client.post(f"/publishing/approvals/{post.pk}/approve/", follow=True)

    assert "2 variants are scheduled" in response.content.decode()
    assert set(post.targets.values_list("state", flat=True)) == {State.SCHEDULED}
    post.refresh_from_db()
    assert post.approved_by == alice
    assert "Nothing is waiting for approval." in response.content.decode()


def test_nobody_approves_their_own_post(alice, alice_client, bob_client, workspace_a) -> None:
    post = _waiting(alice, workspace_a)
    Post.objects.filter(pk=post.pk).update(needs_approval=True)
    post.targets.update(state=State.AWAITING_APPROVAL)

    page = alice_client.get("/publishing/approvals/").content.decode()
    refused = alice_client.post(f"/publishing/approvals/{post.pk}/approve/", follow=True)

    assert "Your post: someone else must approve it." in page
    assert f"/publishing/approvals/{post.pk}/approve/" not in page
    assert "Someone else must approve your post." in refused.content.decode()
    assert set(post.targets.values_list("state", flat=True)) == {State.AWAITING_APPROVAL}
    bob_client.post(f"/publishing/approvals/{post.pk}/approve/")
    assert set(post.targets.values_list("state", flat=True)) == {State.SCHEDULED}


def test_request_changes_sends_it_back_as_a_draft_with_the_remark(
    alice_client, alice, dana, workspace_a
):
    post = _waiting(dana, workspace_a)

    alice_client.post(
        f"/publishing/approvals/{post.pk}/request-changes/", {"comment": "Add the <price>, please"}
    )

    assert set(post.targets.values_list("state", flat=True)) == {State.DRAFT}
    comment = PostComment.objects.get(post=post)
    assert (comment.author, comment.text, comment.workspace) == (
        alice,
        "Add the <price>, please",
        workspace_a,
    )


def test_request_changes_needs_a_remark(alice_client, dana, workspace_a) -> None:
    post = _waiting(dana, workspace_a)
    response = alice_client.post(
        f"/publishing/approvals/{post.pk}/request-changes/", {"comment": " "}, follow=True
    )
    assert "Say what should change" in response.content.decode()
    assert set(post.targets.values_list("state", flat=True)) == {State.AWAITING_APPROVAL}


def test_contributors_and_analysts_cannot_use_the_page(dana, workspace_a) -> None:
    post = _waiting(dana, workspace_a)
    client = signed_in(dana)
    assert client.get("/publishing/approvals/").status_code == 403
    assert client.post(f"/publishing/approvals/{post.pk}/approve/").status_code == 403
    assert set(post.targets.values_list("state", flat=True)) == {State.AWAITING_APPROVAL}


def test_charlie_cannot_see_or_approve_workspace_a_posts(charlie_client: Client, dana, workspace_a):
    post = _waiting(dana, workspace_a)

    assert "summer" not in charlie_client.get("/publishing/approvals/").content.decode()
    assert charlie_client.post(f"/publishing/approvals/{post.pk}/approve/").status_code == 404
    assert (
        charlie_client.post(
            f"/publishing/approvals/{post.pk}/request-changes/", {"comment": "x"}
        ).status_code
        == 404
    )
    assert set(post.targets.values_list("state", flat=True)) == {State.AWAITING_APPROVAL}
