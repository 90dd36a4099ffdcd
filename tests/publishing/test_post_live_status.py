"""An open post page follows its variants while they are scheduled or publishing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled_post(alice: User, workspace_a: Workspace) -> Post:
    channel = Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="BrandSky", remote_id="did:x"
    )
    post = services.create_post(workspace_a, alice, "Open day on Saturday", [channel])
    post.targets.update(state=State.SCHEDULED, scheduled_at=timezone.now() + timedelta(hours=1))
    return post


def _poll_url(html: str) -> str | None:
    found = re.search(r'data-live-post hx-get="([^"]+)"', html)
    return found.group(1) if found else None


def test_a_scheduled_post_is_followed_until_published(alice_client: Client, scheduled_post: Post):  # type: ignore[no-untyped-def]
    url = _poll_url(alice_client.get(f"/publishing/posts/{scheduled_post.pk}/").content.decode())
    assert url is not None
    assert alice_client.get(url).status_code == 204  # nothing moved: no render
    PostTarget.objects.filter(post=scheduled_post).update(state=State.PUBLISHED, version=1)
    response = alice_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="post-variants"' in html
    assert "state-published" in html
    assert _poll_url(html) is None  # nothing left to follow


def test_the_unchanged_answer_is_cheap(
    alice_client: Client, scheduled_post: Post, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    url = _poll_url(alice_client.get(f"/publishing/posts/{scheduled_post.pk}/").content.decode())
    with django_assert_max_num_queries(6):
        assert alice_client.get(url).status_code == 204


def test_a_draft_is_not_followed(alice: User, alice_client: Client, workspace_a: Workspace) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="BrandSky", remote_id="did:x"
    )
    post = services.create_post(workspace_a, alice, "Someday", [channel])
    assert _poll_url(alice_client.get(f"/publishing/posts/{post.pk}/").content.decode()) is None


def test_charlie_cannot_follow_a_post_of_workspace_a(
    charlie: User, workspace_c, scheduled_post: Post
):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(charlie)
    assert client.get(f"/publishing/posts/{scheduled_post.pk}/?v=x").status_code == 404
