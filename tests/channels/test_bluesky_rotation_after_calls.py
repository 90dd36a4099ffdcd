"""Tokens Bluesky rotates during any call are stored, so the next call does not sign in again.

Against a real PDS on loopback. A refused access token makes the connector refresh inside the
call; a refresh token works once, so if the new pair stayed in memory, every later poll, post or
moderation call would sign in again with the app password, and Bluesky refuses an account after a
few hundred sign-ins a day.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.inbox.services_moderation import hide_message
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome
from chorus.workspaces.models import Workspace
from tests.channels.bluesky.conftest import Account, create_account
from tests.inbox.test_bluesky_hide_rule import hidden_on_bluesky, publish, received
from tests.publishing.conftest import scheduled
from tests.servers.pds import RunningPDS

pytestmark = pytest.mark.server
SESSION_CALLS = ("createSession", "refreshSession")


@pytest.fixture
def brand(pds: RunningPDS) -> Account:  # noqa: F811
    return create_account(pds, "rotating")


@pytest.fixture
def channel(workspace_a: Workspace, pds: RunningPDS, brand: Account) -> Channel:  # noqa: F811
    """Connected the way a person connects it, then its access token refused by the PDS, as
    happens to every stored token a couple of hours after it was issued."""
    connected = channels.connect(workspace_a, "bluesky", brand.credentials(), {"base_url": pds.url})
    connected.credentials = {**connected.credentials, "access_jwt": "no-longer-accepted"}
    connected.save()
    return Channel.objects.get(pk=connected.pk)


@pytest.fixture
def session_calls(pds: RunningPDS) -> Iterator[tuple[httpx.Client, list[str]]]:  # noqa: F811
    """An HTTP client to the PDS that notes every sign-in and refresh made through it."""
    seen: list[str] = []

    def note(request: httpx.Request) -> None:
        method = request.url.path.rsplit(".", 1)[-1]
        if method in SESSION_CALLS:
            seen.append(method)

    with httpx.Client(base_url=pds.url, timeout=30, event_hooks={"request": [note]}) as client:
        yield client, seen


def session_works(pds: RunningPDS, access_jwt: str) -> bool:  # noqa: F811
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.server.getSession",
        headers={"Authorization": f"Bearer {access_jwt}"},
        timeout=30,
    )
    return answer.status_code == 200


def test_tokens_refreshed_during_a_call_are_stored_and_the_next_call_reuses_them(
    channel: Channel,
    pds: RunningPDS,  # noqa: F811
    session_calls: tuple[httpx.Client, list[str]],
) -> None:
    client, seen = session_calls
    spent = channel.credentials["refresh_jwt"]

    with channels.connected(channel, http=client) as connection:
        connection.whoami()
    assert seen == ["refreshSession"]

    stored = Channel.objects.get(pk=channel.pk).credentials
    assert stored["refresh_jwt"] != spent
    assert stored["app_password"] == channel.credentials["app_password"]  # nothing else lost
    assert session_works(pds, stored["access_jwt"])

    seen.clear()
    with channels.connected(Channel.objects.get(pk=channel.pk), http=client) as connection:
        connection.whoami()
    assert seen == []  # the stored session was enough: no refresh, no sign-in


def test_tokens_are_stored_even_when_a_later_call_fails(
    channel: Channel, session_calls: tuple[httpx.Client, list[str]]
) -> None:
    client, _seen = session_calls
    spent = channel.credentials["refresh_jwt"]

    with pytest.raises(RuntimeError), channels.connected(channel, http=client) as connection:
        connection.whoami()
        raise RuntimeError("the work after the call went wrong")

    assert Channel.objects.get(pk=channel.pk).credentials["refresh_jwt"] != spent


def test_hiding_from_the_inbox_stores_the_session_it_refreshed(
    channel: Channel,
    pds: RunningPDS,  # noqa: F811
    brand: Account,
    alice: User,
) -> None:
    troll = create_account(pds, "trollish")
    root = publish(pds, brand, "Our new menu is out")
    reply = publish(pds, troll, "buy followers here", reply_to=root)
    message = received(channel, root, reply, "buy followers here")
    spent = channel.credentials["refresh_jwt"]

    hide_message(message, alice)

    assert hidden_on_bluesky(pds, brand, root) == [reply]
    stored = Channel.objects.get(pk=channel.pk).credentials
    assert stored["refresh_jwt"] != spent
    assert session_works(pds, stored["access_jwt"])


def test_publishing_stores_the_session_it_refreshed(channel: Channel, alice: User) -> None:
    spent = channel.credentials["refresh_jwt"]
    target = scheduled(alice, channel, "Fresh croissants at 7")

    assert publish_target(target.pk) == Outcome.PUBLISHED

    assert Channel.objects.get(pk=channel.pk).credentials["refresh_jwt"] != spent
