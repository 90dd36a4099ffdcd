"""Connecting Bluesky signs in during whoami; the tokens it got are what must be stored.

Against a real PDS on loopback: a stored refresh token that the PDS does not accept would make the
first refresh fail and ask a person to reconnect for nothing.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import httpx
import pytest

from chorus.channels import services
from chorus.channels.models import Channel
from tests.servers.pds import PDSUnavailable, RunningPDS, ensure_installed

pytestmark = pytest.mark.server
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def pds() -> Iterator[RunningPDS]:
    try:
        server = RunningPDS(ensure_installed()).start()
    except PDSUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Bluesky PDS is required in CI: {exc}")
        pytest.skip(f"no local Bluesky PDS: {exc}")
    yield server
    server.stop()


def new_account(pds: RunningPDS, name: str) -> dict[str, str]:
    """An account and an app password for Chorus, as a person would make them."""
    handle = f"{name}{next(_numbers)}.test"
    with httpx.Client(base_url=pds.url, timeout=30) as http:
        created = http.post(
            "/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.test", "password": "main-pw"},
        )
        created.raise_for_status()
        app = http.post(
            "/xrpc/com.atproto.server.createAppPassword",
            json={"name": "Chorus"},
            headers={"Authorization": f"Bearer {created.json()['accessJwt']}"},
        )
        app.raise_for_status()
    return {"identifier": handle, "app_password": app.json()["password"]}


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
