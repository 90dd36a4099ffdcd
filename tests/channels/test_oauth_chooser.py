"""The one OAuth flow, configured by a network: one sign-in may connect several channels.

"Pagebook" is a tiny network defined here (a Facebook-like user with several Pages); it talks to
no server: its token answer is its own, and its connection knows its account from its
credentials. Mastodon's real sign-in through the same flow: test_connect_mastodon_oauth.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from chorus.channels import connecting
from chorus.channels.base import AccountInfo, Capability, Connection, Limits, Network
from chorus.channels.models import Channel
from chorus.channels.oauth import OAuthApp, OfferedAccount
from chorus.channels.registry import NETWORKS, get_network

START = "/channels/connect/pagebook/"


class _PageConnection(Connection):
    def whoami(self) -> AccountInfo:
        page = str(self.credentials["page_id"])
        return AccountInfo(remote_id=page, handle=f"page-{page}", display_name=f"Page {page}")


class _PagebookOAuth:
    server_form = None
    start_template = "channels/connect_choose.html"

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp:
        return OAuthApp(
            authorize_url="https://pagebook.example/dialog/oauth",
            token_url="https://pagebook.example/oauth/access_token",
            client_id="app-1",
            client_secret="app-secret",
            scopes=("pages_manage_posts", "pages_read_engagement"),
        )

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]:
        return [
            OfferedAccount(
                f"Page {n}", {"page_id": n, "access_token": f"{token['access_token']}-{n}"}
            )
            for n in ("p1", "p2", "p3")
        ]


class _Pagebook(Network):
    key = "pagebook"
    label = "Pagebook"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=5000)
    connection_class = _PageConnection
    oauth = _PagebookOAuth()


@pytest.fixture(autouse=True)
def _network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(NETWORKS, "pagebook", f"{__name__}._Pagebook")
    # Pagebook is not a real network: its token answer comes from here, not from a server.
    monkeypatch.setattr(
        connecting, "exchange_code", lambda http, app, uri, code, verifier: {"access_token": "t"}
    )
    get_network.cache_clear()
    yield
    get_network.cache_clear()


def _signed_in(client) -> str:  # type: ignore[no-untyped-def]
    authorize = client.post(START)["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert authorize.startswith("https://pagebook.example/dialog/oauth?")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == "app-1"
    answer = client.get(f"/channels/connect/pagebook/callback/?state={query['state']}&code=c")
    assert answer.status_code == 302
    return str(answer["Location"])


def test_one_sign_in_offers_several_accounts_and_connects_the_chosen(
    alice_client, workspace_a
) -> None:
    chooser = _signed_in(alice_client)
    assert chooser == "/channels/connect/pagebook/choose/"
    page = alice_client.get(chooser).content.decode()
    assert "Page p1" in page and "Page p3" in page and "t-p1" not in page  # no token shown

    answer = alice_client.post(chooser, {"account": ["0", "2"]})

    assert answer.status_code == 302 and answer["Location"] == "/channels/"
    channels = Channel.objects.filter(workspace=workspace_a).order_by("remote_id")
    assert [c.remote_id for c in channels] == ["p1", "p3"]
    assert channels[1].credentials["access_token"] == "t-p3"
    assert alice_client.get(chooser)["Location"] == "/channels/connect/"  # offers used once


def test_choosing_nothing_connects_nothing(alice_client) -> None:
    chooser = _signed_in(alice_client)

    page = alice_client.post(chooser, {}).content.decode()

    assert "Choose at least one account." in page
    assert not Channel.objects.exists()


def test_another_workspace_cannot_use_the_offers(alice_client, charlie_client) -> None:
    chooser = _signed_in(alice_client)

    assert charlie_client.post(chooser, {"account": ["0"]}).status_code == 302
    assert not Channel.objects.exists()


def test_bob_may_not_sign_in_for_the_workspace(bob_client) -> None:
    assert bob_client.post(START).status_code == 403
    assert bob_client.get("/channels/connect/pagebook/choose/").status_code == 403
