"""What each role is offered around approvals: "Publish now" only for those whose "now" is now,
the Approvals tab only for approvers, the author told when changes are asked, and a post sent
back to draft no longer saying it waits. alice (owner), bob (a contributor here), charlie."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chorus.publishing import approvals, services
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Notification

from .planning_fixtures import make_channel, target_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_waiting(contributor_bob, workspace_a) -> PostTarget:  # type: ignore[no-untyped-def]
    post = services.create_post(
        workspace_a, contributor_bob, "Bob's idea", [make_channel(workspace_a)]
    )
    services.schedule_post(post, timezone.now() + timedelta(days=2))
    return target_of(post)


def test_publish_now_is_offered_only_to_those_who_may(
    alice, alice_client, contributor_bob, bob_client, workspace_a
) -> None:
    target = target_of(
        services.create_post(workspace_a, alice, "Draft", [make_channel(workspace_a)])
    )
    publish_now = f"/publishing/variants/{target.pk}/publish-now/"

    for_alice = alice_client.get(f"/publishing/posts/{target.post_id}/").content.decode()
    for_bob = bob_client.get(f"/publishing/posts/{target.post_id}/").content.decode()

    assert publish_now in for_alice and "Publish now" in for_alice
    assert "Publish now" not in for_bob
    assert "Ask to publish now" in for_bob  # it waits for approval, and says so


def test_the_approvals_tab_is_for_approvers(alice_client, contributor_bob, bob_client) -> None:
    assert "/publishing/approvals/" in alice_client.get("/publishing/calendar/").content.decode()
    assert "/publishing/approvals/" not in bob_client.get("/publishing/calendar/").content.decode()
    assert bob_client.get("/publishing/approvals/").status_code == 403


def test_requesting_changes_tells_the_author_in_the_app_and_by_mail(
    alice_client, contributor_bob, bobs_waiting, workspace_a
) -> None:
    type(contributor_bob).objects.filter(pk=contributor_bob.pk).update(language="en")
    alice_client.post(
        f"/publishing/approvals/{bobs_waiting.post_id}/request-changes/",
        {"comment": "Say which Sunday"},
    )

    (note,) = Notification.objects.filter(user=contributor_bob, workspace=workspace_a)
    assert "asked for changes to your post “Bob's idea”" in note.message
    assert note.link == f"/publishing/posts/{bobs_waiting.post_id}/#comments"
    (sent,) = mail.outbox
    assert sent.to == ["bob@example.org"] and "Changes requested" in sent.subject


def test_the_post_page_request_tells_the_author_too(
    alice_client, contributor_bob, bobs_waiting
) -> None:
    alice_client.post(
        f"/publishing/posts/{bobs_waiting.post_id}/needs-changes/", {"text": "Shorter"}
    )

    assert Notification.objects.filter(user=contributor_bob).count() == 1


def test_a_post_sent_back_to_draft_no_longer_says_it_waits(
    alice, alice_client, contributor_bob, bob_client, bobs_waiting
) -> None:
    page = f"/publishing/posts/{bobs_waiting.post_id}/"
    assert "Awaiting approval" in bob_client.get(page).content.decode()

    approvals.request_changes(bobs_waiting.post, alice, "Shorter")

    bobs_waiting.refresh_from_db()
    assert bobs_waiting.state == State.DRAFT
    for client in (alice_client, bob_client):
        body = client.get(page).content.decode()
        assert "Awaiting approval" not in body
        assert "Waiting for" not in body
        assert f"/publishing/posts/{bobs_waiting.post_id}/approve/" not in body


def test_when_bob_changes_alices_post_the_approvals_page_lets_alice_approve(
    alice, alice_client, contributor_bob, bob_client, workspace_a
) -> None:
    target = target_of(
        services.create_post(workspace_a, alice, "Hers", [make_channel(workspace_a)])
    )
    bob_client.post(f"/publishing/variants/{target.pk}/publish-now/")

    page = alice_client.get("/publishing/approvals/").content.decode()

    assert f"/publishing/approvals/{target.post_id}/approve/" in page
    assert "changed by Bob Durand" in page


def test_requesting_changes_to_a_contributors_change_of_alices_post_says_so(
    alice, alice_client, contributor_bob, workspace_a
) -> None:
    """Walked: alice's own post, changed by bob; the remark goes to bob, and says whose post."""
    type(contributor_bob).objects.filter(pk=contributor_bob.pk).update(language="en")
    post = services.create_post(workspace_a, alice, "Alice's hours", [make_channel(workspace_a)])
    (target,) = services.schedule_post(post, timezone.now() + timedelta(days=2), by=alice)
    services.reschedule(target, timezone.now() + timedelta(days=3), by=contributor_bob)

    page = alice_client.post(
        f"/publishing/approvals/{post.pk}/request-changes/",
        {"comment": "Which hours?"},
        follow=True,
    ).content.decode()

    assert "Sent back to its author" not in page  # alice is the author: it went to bob
    (note,) = Notification.objects.filter(user=contributor_bob, workspace=workspace_a)
    assert "your post" not in note.message
    assert "asked for changes to your change to the post “Alice's hours”" in note.message
