"""Links from networks pass one http/https allow-list on every page (DESIGN.md invariant 3).

A ``javascript:`` address in a post's ``remote_url``, a channel's URL or a message's link must
never become a link; an http(s) one is a link with ``rel="nofollow noopener ugc"``.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Workspace
from tests.inbox import factories

pytestmark = pytest.mark.django_db
EVIL = "javascript:alert(document.cookie)"
GOOD = "https://social.example/@brand/1"


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _target(alice: User, workspace: Workspace, channel: Channel, remote_url: str) -> PostTarget:
    post = services.create_post(workspace, alice, "Hello Lyon", [channel])
    target = post.targets.get()
    now = timezone.now()
    PostTarget.objects.filter(pk=target.pk).update(
        state=State.PUBLISHED, remote_url=remote_url, scheduled_at=now, published_at=now
    )
    return target


def _pages(target: PostTarget, channel: Channel) -> list[str]:
    return [
        reverse("publishing:post", args=[target.post_id]),
        reverse("publishing:reschedule", args=[target.pk]),
        reverse("channels:health", args=[channel.pk]),
    ]


@pytest.mark.parametrize("client_name", ["alice_client", "bob_client"])
def test_a_javascript_address_is_never_a_link(request, client_name, alice, workspace_a) -> None:
    client = request.getfixturevalue(client_name)
    channel = factories.channel(workspace_a, remote_url=EVIL)
    target = _target(alice, workspace_a, channel, EVIL)

    for url in _pages(target, channel):
        assert "javascript:" not in _html(client, url), url


def test_an_http_address_is_a_link_marked_as_user_content(alice, alice_client, workspace_a) -> None:
    channel = factories.channel(workspace_a, remote_url=GOOD)
    target = _target(alice, workspace_a, channel, GOOD)

    for url in _pages(target, channel):
        html = _html(alice_client, url)
        assert f'href="{GOOD}" rel="nofollow noopener ugc"' in html, url


def test_the_conversation_page_and_calendar_file_drop_javascript_addresses(
    alice, alice_client, workspace_a
) -> None:
    channel = factories.channel(workspace_a)
    talk = factories.conversation(channel, "Look at this")
    factories.message(talk, "and this", url=EVIL)
    _target(alice, workspace_a, channel, EVIL)

    assert "javascript:" not in _html(alice_client, reverse("inbox:conversation", args=[talk.pk]))
    ics = alice_client.get(reverse("publishing:calendar_ics")).content.decode()
    assert "Hello Lyon" in ics and "javascript:" not in ics
