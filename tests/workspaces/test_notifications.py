"""The bell and the notifications page: count, list, mark read, tenancy, escaping, safe links."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.workspaces.models import Notification, Workspace
from chorus.workspaces.services import notify

pytestmark = pytest.mark.django_db
PAGE = "/workspace/notifications/"


def _tell(workspace: Workspace, user: User, text: str, link: str = "") -> Notification:
    (sent,) = notify(workspace, [user], lambda: text, link=link)
    return sent


def _bell_count(client: Client) -> str:
    html = client.get(reverse("today")).content.decode()
    if 'class="bell-count"' not in html:
        return "0"
    return html.split('class="bell-count">', 1)[1].split("<", 1)[0]


def test_the_bell_counts_only_my_unread_notifications_of_this_workspace(
    alice_client: Client, alice: User, bob: User, workspace_a: Workspace, workspace_c: Workspace
) -> None:
    _tell(workspace_a, alice, "one")
    _tell(workspace_a, alice, "two")
    _tell(workspace_a, bob, "for bob")
    _tell(workspace_c, alice, "another workspace")
    Notification.objects.create(workspace=workspace_a, user=alice, message="old", read_at=now())
    assert _bell_count(alice_client) == "2"


def test_the_bell_is_hidden_without_unread_and_caps_at_99(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    assert _bell_count(alice_client) == "0"
    notify(workspace_a, [alice] * 120, lambda: "many")
    assert _bell_count(alice_client) == "99+"


def test_the_page_lists_latest_first_and_mark_all_read_clears_the_count(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    _tell(workspace_a, alice, "first thing")
    _tell(workspace_a, alice, "second thing")
    html = alice_client.get(PAGE).content.decode()
    assert html.index("second thing") < html.index("first thing")
    response = alice_client.post(reverse("workspaces:notifications_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=alice, read_at=None).exists()
    assert _bell_count(alice_client) == "0"
    assert "first thing" in alice_client.get(PAGE).content.decode()  # still listed, as read


def test_mark_all_read_needs_a_post(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    _tell(workspace_a, alice, "unread")
    assert alice_client.get(reverse("workspaces:notifications_read")).status_code == 405
    assert Notification.objects.filter(read_at=None).count() == 1


def test_charlie_never_sees_or_clears_workspace_a_notifications(
    charlie_client: Client, alice: User, workspace_a: Workspace
) -> None:
    _tell(workspace_a, alice, "secret plans of Brand A")
    assert "secret plans" not in charlie_client.get(PAGE).content.decode()
    assert _bell_count(charlie_client) == "0"
    charlie_client.post(reverse("workspaces:notifications_read"))
    assert Notification.objects.get().read_at is None


def test_bob_does_not_see_alice_notifications_in_the_same_workspace(
    bob_client: Client, alice: User, workspace_a: Workspace
) -> None:
    _tell(workspace_a, alice, "for alice only")
    assert "for alice only" not in bob_client.get(PAGE).content.decode()
    bob_client.post(reverse("workspaces:notifications_read"))
    assert Notification.objects.get().read_at is None


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "signin" in response["Location"]


def test_a_message_is_escaped(alice_client: Client, alice: User, workspace_a: Workspace) -> None:
    _tell(workspace_a, alice, "<script>alert(1)</script><img src=x onerror=alert(1)>")
    html = alice_client.get(PAGE).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "/\t/evil.example",
        "https://evil.example/",
        " /inbox/1/",
    ],
)
def test_unsafe_links_are_not_rendered_as_links(
    alice_client: Client, alice: User, workspace_a: Workspace, link: str
) -> None:
    _tell(workspace_a, alice, "Click me", link=link)
    html = alice_client.get(PAGE).content.decode()
    assert "Click me" in html
    assert "evil.example" not in html and "javascript:" not in html
    assert '<a href=" /inbox' not in html


def test_a_relative_link_is_rendered(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    _tell(workspace_a, alice, "Open the post", link="/publishing/posts/7/")
    html = alice_client.get(PAGE).content.decode()
    assert '<a href="/publishing/posts/7/">Open the post</a>' in html


def test_a_channel_to_reconnect_reaches_owners_and_admins_bells(
    alice: User, bob: User, workspace_a: Workspace
) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="<b>Masto</b>", remote_id="1"
    )
    assert channels.mark_needs_reconnect(channel, "The token was revoked.") is True
    assert channels.mark_needs_reconnect(channel, "The token was revoked.") is False
    (sent,) = Notification.objects.all()
    assert sent.user == alice  # bob is an editor: he cannot reconnect it
    assert sent.link == reverse("channels:health", args=[channel.pk])
    html = signed_in_page(alice)
    assert "&lt;b&gt;Masto&lt;/b&gt;" in html and "<b>Masto</b>" not in html


def signed_in_page(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get(PAGE).content.decode()


def test_pages_after_the_last_are_clamped(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    notify(workspace_a, [alice] * 35, lambda: "many")
    assert alice_client.get(PAGE + "?page=2").status_code == 200
    assert alice_client.get(PAGE + "?page=999").status_code == 200
    assert alice_client.get(PAGE + "?page=abc").status_code == 200
