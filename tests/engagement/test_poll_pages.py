"""The poll pages: alice (owner) runs polls, bob as a contributor only reads them, charlie
(outsider) gets 404 on workspace A's polls; hostile choices are escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import User
from chorus.engagement import polls
from chorus.engagement.models.polls import Poll
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Membership, Role, Workspace
from tests.engagement.poll_factories import bluesky_channel, reply

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def contributor_bob(bob: User, workspace_a: Workspace) -> User:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob


@pytest.fixture
def poll(alice: User, workspace_a: Workspace) -> Poll:
    sky = bluesky_channel(workspace_a)
    made = polls.create_poll(
        workspace_a,
        alice,
        f"Best {HOSTILE}?",
        ["Tea", HOSTILE],
        timezone.now() + timedelta(hours=3),
        [sky],
    )
    PostTarget.objects.filter(post=made.post).update(state=State.PUBLISHED, remote_id="at://p")
    reply(sky, "at://p", "ann", "2", 1)
    reply(sky, "at://p", "ben", "tea please", 2)
    return made


def form(workspace: Workspace, **extra: object) -> dict[str, object]:
    closes = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    sky = bluesky_channel(workspace, "Other")
    return {
        "question": "Tea or coffee?",
        "options": "Tea\nCoffee",
        "closes_at": closes,
        "channels": [sky.pk],
        **extra,
    }


def test_alice_creates_a_poll_and_it_goes_out(alice_client: Client, workspace_a: Workspace):
    answer = alice_client.post(reverse("engagement:poll_new"), form(workspace_a))
    poll = Poll.objects.get(workspace=workspace_a)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "engagement:poll", args=[poll.pk]
    )
    assert poll.options == ["Tea", "Coffee"]
    assert {t.state for t in poll.post.targets.all()} == {State.SCHEDULED}


def test_a_bad_poll_is_shown_again_with_its_error(alice_client: Client, workspace_a: Workspace):
    answer = alice_client.post(reverse("engagement:poll_new"), form(workspace_a, options="Tea"))
    assert answer.status_code == 422
    assert "2 to 10 choices" in answer.content.decode()
    assert not Poll.objects.exists()


def test_results_page_shows_counts_and_escapes_choices(alice_client: Client, poll: Poll):
    alice_client.post(reverse("engagement:poll_read", args=[poll.pk]))
    page = alice_client.get(reverse("engagement:poll", args=[poll.pk])).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Counted with: replies naming a choice." in page
    assert "<svg" in page and "50 %" in page


def test_contributor_reads_but_cannot_run(
    bob_client: Client, contributor_bob: User, poll: Poll, workspace_a: Workspace
) -> None:
    assert bob_client.get(reverse("engagement:polls")).status_code == 200
    assert bob_client.get(reverse("engagement:poll", args=[poll.pk])).status_code == 200
    assert bob_client.get(reverse("engagement:poll_new")).status_code == 403
    assert bob_client.post(reverse("engagement:poll_new"), form(workspace_a)).status_code == 403
    assert bob_client.post(reverse("engagement:poll_read", args=[poll.pk])).status_code == 403
    assert bob_client.post(reverse("engagement:poll_close", args=[poll.pk])).status_code == 403
    poll.refresh_from_db()
    assert not poll.is_closed


def test_outsider_gets_404(charlie_client: Client, poll: Poll) -> None:
    for name in ("engagement:poll", "engagement:poll_read", "engagement:poll_close"):
        method = charlie_client.get if name == "engagement:poll" else charlie_client.post
        assert method(reverse(name, args=[poll.pk])).status_code == 404
    assert poll.question not in charlie_client.get(reverse("engagement:polls")).content.decode()
    poll.refresh_from_db()
    assert not poll.is_closed


def test_alice_closes_a_poll(alice_client: Client, poll: Poll) -> None:
    alice_client.post(reverse("engagement:poll_close", args=[poll.pk]))
    poll.refresh_from_db()
    assert poll.is_closed and poll.results_post is not None
    page = alice_client.get(reverse("engagement:poll", args=[poll.pk])).content.decode()
    assert "waits for approval" in page
