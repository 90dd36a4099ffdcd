"""A real PDS for the whole session, accounts on it, and the recorded Bluesky bodies."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from chorus.channels.networks.bluesky.network import Bluesky, BlueskyConnection
from tests.servers.pds import RunningPDS

REPO = Path(__file__).resolve().parents[3]

FIXTURES = REPO / ".." / "shared" / "fixtures" / "bluesky"
LEXICONS = FIXTURES / "lexicons"
TEST_DATA = FIXTURES / "test_data"
APPVIEW = "https://bsky.social"  # where recorded AppView bodies are served with respx


def recorded(name: str) -> dict[str, Any]:
    """A body recorded from the live network (../shared/fixtures/bluesky/test_data)."""
    body: dict[str, Any] = json.loads((TEST_DATA / name).read_text())
    return body


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str  # the main password: only to create app passwords, never given to Chorus
    app_password: str

    def credentials(self) -> dict[str, str]:
        return {"identifier": self.handle, "app_password": self.app_password}


_numbers = itertools.count(1)


def create_account(pds: RunningPDS, name: str) -> Account:
    """com.atproto.server.createAccount, then an app password, as a person would make one."""
    handle = f"{name}{next(_numbers)}.test"
    password = f"{name}-main-password"
    with httpx.Client(base_url=pds.url, timeout=30) as http:
        created = http.post(
            "/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.test", "password": password},
        )
        created.raise_for_status()
        session = created.json()
        app = http.post(
            "/xrpc/com.atproto.server.createAppPassword",
            json={"name": "Chorus"},
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
        )
        app.raise_for_status()
    return Account(handle, session["did"], password, app.json()["password"])


@pytest.fixture(scope="session")
def make_account(pds: RunningPDS) -> Callable[[str], Account]:
    return lambda name: create_account(pds, name)


@pytest.fixture(scope="session")
def alice(make_account: Callable[[str], Account]) -> Account:
    return make_account("alice")


@pytest.fixture(scope="session")
def bob(make_account: Callable[[str], Account]) -> Account:
    return make_account("bob")


@pytest.fixture
def connect(pds: RunningPDS) -> Iterator[Callable[..., BlueskyConnection]]:
    """Connect an account to the local PDS the way Chorus does: handle + app password."""
    opened: list[BlueskyConnection] = []

    def _connect(credentials: dict[str, Any]) -> BlueskyConnection:
        connection = Bluesky.connect(credentials, {"base_url": pds.url})
        assert isinstance(connection, BlueskyConnection)
        opened.append(connection)
        return connection

    yield _connect
    for connection in opened:
        connection.close()


@pytest.fixture
def as_alice(connect: Callable[..., BlueskyConnection], alice: Account) -> BlueskyConnection:
    return connect(alice.credentials())


def read_record(pds: RunningPDS, uri: str) -> dict[str, Any]:
    """The record as the PDS stored it, read without Chorus (getRecord needs no auth)."""
    repo, collection, rkey = uri.removeprefix("at://").split("/")
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": repo, "collection": collection, "rkey": rkey},
        timeout=30,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def appview_connection(**credentials: Any) -> BlueskyConnection:
    """A connection to bsky.social whose traffic respx serves; already signed in."""
    signed_in = {
        "identifier": "test.marshal.dev",
        "app_password": "xxxx-xxxx-xxxx-xxxx",
        "access_jwt": "access-1",
        "refresh_jwt": "refresh-1",
        "did": "did:plc:kvwvcn5iqfooopmyzvb4qzba",
        "handle": "test.marshal.dev",
        **credentials,
    }
    connection = Bluesky.connect(signed_in, {})
    assert isinstance(connection, BlueskyConnection)
    return connection


@pytest.fixture
def appview() -> Iterator[respx.MockRouter]:
    """Serves recorded AppView bodies at bsky.social; anything not mocked fails the test.

    ``using="httpx"`` mocks at the client, before Chorus's loopback-only transport would refuse
    the outside host.
    """
    with respx.mock(base_url=APPVIEW, using="httpx", assert_all_called=False) as router:
        yield router
