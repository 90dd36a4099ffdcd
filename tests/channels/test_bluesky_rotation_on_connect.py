"""Connecting Bluesky signs in during whoami; the tokens it got are what must be stored.

Against a real PDS on loopback: a stored refresh token that the PDS does not accept would make the
first refresh fail and ask a person to reconnect for nothing.
"""

from __future__ import annotations

import httpx
import pytest

from chorus.channels import services
from chorus.channels.models import Channel
from tests.channels.bluesky.conftest import create_account
from tests.servers.pds import RunningPDS

pytestmark = pytest.mark.server


def new_account(pds: RunningPDS, name: str) -> dict[str, str]:
    """An account and an app password for Chorus, as a person would make them. One handle
    counter for the whole run: the PDS is shared by every module."""
    return create_account(pds, name).credentials()


def refresh_with(pds: RunningPDS, refresh_jwt: str) -> httpx.Response:
    return httpx.post(
        f"{pds.url}/xrpc/com.atproto.server.refreshSession",
        headers={"Authorization": f"Bearer {refresh_jwt}"},
        timeout=30,
    )


def test_the_session_from_connecting_is_stored(workspace_a, pds) -> None:
    account = new_account(pds, "rot")

    channel = services.connect(workspace_a, "bluesky", account, {"base_url": pds.url})

    stored = Channel.objects.get(pk=channel.pk).credentials
    assert stored["handle"] == account["identifier"] and stored["did"] == channel.remote_id
    session = httpx.get(
        f"{pds.url}/xrpc/com.atproto.server.getSession",
        headers={"Authorization": f"Bearer {stored['access_jwt']}"},
        timeout=30,
    )
    assert session.status_code == 200
    assert refresh_with(pds, stored["refresh_jwt"]).status_code == 200


def test_reconnecting_replaces_a_spent_refresh_token(workspace_a, pds) -> None:
    account = new_account(pds, "again")
    first = services.connect(workspace_a, "bluesky", account, {"base_url": pds.url})
    spent = first.credentials["refresh_jwt"]
    assert refresh_with(pds, spent).status_code == 200  # someone used it: it is spent now

    again = services.connect(workspace_a, "bluesky", account, {"base_url": pds.url})

    assert again.pk == first.pk
    fresh = Channel.objects.get(pk=again.pk).credentials["refresh_jwt"]
    assert fresh != spent
    assert refresh_with(pds, fresh).status_code == 200
