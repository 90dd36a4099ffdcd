"""The post page (variants, attempt log, actions, approval, comments) and the posts list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import approvals, services
from chorus.publishing.models import Outcome, Post, PostComment, PostTarget, PublishAttempt, State
from chorus.workspaces.models import Membership, Role, Workspace
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_channel(workspace_a: Workspace) -> Channel:
    """A channel nobody talks to: these tests never reach the dispatcher."""
    return Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="BrandSky", remote_id="did:x"
    )


@pytest.fixture
def dana(workspace_a: Workspace) -> User:
    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


def _page(client: Client, post: Post) -> str:
    response = client.get(f"/publishing/posts/{post.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _action(client: Client, target: PostTarget, verb: str, **data: str) -> str:
    url = f"/publishing/variants/{target.pk}/{verb}/"
    return client.post(url, data, follow=True).content.decode()


def test_the_page_shows_each_variant_its_time_link_and_attempts(
    alice: User, alice_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "Hello <b>Lyon</b>", [plain_channel])
    target = post.targets.get()
    PostTarget.objects.filter(pk=target.pk).update(
        state=State.PUBLISHED,
        scheduled_at=datetime(2030, 1, 15, 8, 0, tzinfo=UTC),
        published_at=datetime(2030, 1, 15, 8, 0, 5, tzinfo=UTC),
        remote_url="https://bsky.app/profile/x/post/1",
    )
    PublishAttempt.objects.create(
        workspace=workspace_a, target=target, outcome=Outcome.RETRY, message="Server busy (503)"
    )
    html = _page(alice_client, post)
    assert "Hello &lt;b&gt;Lyon&lt;/b&gt;" in html
    assert "15 Jan 2030, 09:00" in html  # Paris time, one hour ahead of UTC in winter
    assert 'href="https://bsky.app/profile/x/post/1" rel="nofollow noopener ugc"' in html
    assert "Server busy (503)" in html and "Will try again" in html
    assert "Publish now" not in html  # a published variant has no actions
    assert f"/publishing/posts/{post.pk}/edit/" not in html  # what is published cannot change


def test_reschedule_and_back_to_draft(
    alice: User, alice_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "Later", [plain_channel])
    target = post.targets.get()
    html = _action(alice_client, target, "reschedule", when="2031-03-03T10:15")
    target.refresh_from_db()
    assert target.state == State.SCHEDULED
    assert target.scheduled_at == datetime(2031, 3, 3, 9, 15, tzinfo=UTC)
    assert "on its way" in html

    _action(alice_client, target, "drop")
    target.refresh_from_db()
    assert target.state == State.DRAFT


def test_a_variant_with_errors_is_not_published(
    alice: User, alice_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "x" * 301, [plain_channel])
    target = post.targets.get()
    assert "301 characters, Bluesky takes 300: cut 1." in _page(alice_client, post)
    html = _action(alice_client, target, "publish-now")
    assert "Fix the problems shown" in html
    target.refresh_from_db()
    assert target.state == State.DRAFT


def test_a_failed_variant_is_tried_again(  # type: ignore[no-untyped-def]
    alice: User, alice_client: Client, channel_a, django_capture_on_commit_callbacks
) -> None:
    post = services.create_post(channel_a.workspace, alice, "Once more", [channel_a])
    target = post.targets.get()
    PostTarget.objects.filter(pk=target.pk).update(state=State.FAILED, last_error="Timeout")
    assert "Try again now" in _page(alice_client, post)
    with django_capture_on_commit_callbacks(execute=True):  # the hand-over to the queue
        _action(alice_client, target, "retry")
    target.refresh_from_db()
    assert target.state == State.PUBLISHED and target.remote_url


def test_approve_and_needs_changes(
    dana: User, bob_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    when = timezone.now() + timedelta(days=2)
    first = services.create_post(workspace_a, dana, "First", [plain_channel])
    approvals.submit_for_approval(first, when)
    second = services.create_post(workspace_a, dana, "Second", [plain_channel])
    approvals.submit_for_approval(second)

    assert "Needs changes" in _page(bob_client, first)
    bob_client.post(f"/publishing/posts/{first.pk}/approve/")
    assert first.targets.get().state == State.SCHEDULED

    bob_client.post(f"/publishing/posts/{second.pk}/needs-changes/", {"text": "Add the date"})
    assert second.targets.get().state == State.DRAFT
    (note,) = PostComment.objects.filter(post=second)
    assert note.text == "Add the date"
    assert "Add the date" in _page(bob_client, second)


def test_needs_changes_must_say_what(
    dana: User, bob_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, dana, "Hmm", [plain_channel])
    approvals.submit_for_approval(post)
    html = bob_client.post(
        f"/publishing/posts/{post.pk}/needs-changes/", {"text": " "}, follow=True
    ).content.decode()
    assert "Say what needs to change." in html
    assert post.targets.get().state == State.AWAITING_APPROVAL


def test_team_comments_are_escaped(
    alice: User, bob_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "Hi", [plain_channel])
    bob_client.post(f"/publishing/posts/{post.pk}/comments/", {"text": "<i>typo</i> in line 2"})
    assert "&lt;i&gt;typo&lt;/i&gt; in line 2" in _page(bob_client, post)


def test_posts_list_filters_by_state_and_channel(
    alice: User, alice_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    other = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="BrandMasto", remote_id="m"
    )
    services.create_post(workspace_a, alice, "Draft on sky", [plain_channel])
    planned = services.create_post(workspace_a, alice, "Planned on masto", [other])
    services.schedule_post(planned, timezone.now() + timedelta(days=3))

    everything = alice_client.get("/publishing/posts/").content.decode()
    assert "Draft on sky" in everything and "Planned on masto" in everything
    scheduled = alice_client.get("/publishing/posts/?state=scheduled").content.decode()
    assert "Planned on masto" in scheduled and "Draft on sky" not in scheduled
    on_sky = alice_client.get(f"/publishing/posts/?channel={plain_channel.pk}").content.decode()
    assert "Draft on sky" in on_sky and "Planned on masto" not in on_sky


def test_charlie_can_neither_see_nor_act(
    alice: User, charlie_client: Client, plain_channel: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "A's plan", [plain_channel])
    target = post.targets.get()
    assert "A&#x27;s plan" not in charlie_client.get("/publishing/posts/").content.decode()
    for url in (
        f"/publishing/posts/{post.pk}/",
        f"/publishing/posts/{post.pk}/edit/",
    ):
        assert charlie_client.get(url).status_code == 404
    for url in (
        f"/publishing/posts/{post.pk}/approve/",
        f"/publishing/posts/{post.pk}/needs-changes/",
        f"/publishing/posts/{post.pk}/comments/",
        f"/publishing/variants/{target.pk}/publish-now/",
        f"/publishing/variants/{target.pk}/drop/",
    ):
        assert charlie_client.post(url, {"text": "x"}).status_code == 404, url
    target.refresh_from_db()
    assert target.state == State.DRAFT and target.version == 0
    assert not PostComment.objects.exists()


def test_a_post_sent_back_to_draft_says_neither_scheduled_nor_a_dangling_dot(
    alice: User, alice_client: Client, dana: User, plain_channel: Channel
) -> None:
    """Walked: after "Request changes", the draft said "Scheduled for …" and ended on " · "."""
    post = services.create_post(plain_channel.workspace, dana, "Dana's idea", [plain_channel])
    services.schedule_post(post, timezone.now() + timedelta(days=2), by=dana)
    approvals.request_changes(post, alice, "Which day?")

    page = _page(alice_client, post)

    header = page.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert not header.rstrip().endswith("·")
    variant = page.split('class="pp-variant"', 1)[1].split("</article>", 1)[0]
    assert "Draft" in variant and "Scheduled for" not in variant


def test_an_analyst_is_not_offered_a_comment_form_that_refuses_them(
    bob: User, plain_channel: Channel, alice: User
) -> None:
    """Walked as an analyst: the form was there, and answered "Your role cannot comment"."""
    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    post = services.create_post(plain_channel.workspace, alice, "Alice's post", [plain_channel])

    page = _page(signed_in(bob), post)

    assert f"/publishing/posts/{post.pk}/comments/" not in page
    assert "Team comments" in page  # reading them is fine
