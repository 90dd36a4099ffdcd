"""One sign-in may offer accounts of several networks (a Facebook sign-in offers Pages and the
Instagram accounts linked to them): each chosen account becomes a channel of its own network,
and each network's own after-connect step runs."""

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
from chorus.channels.steps import ChannelSteps

START = "/channels/connect/pagebook/"


class _Account(Connection):
    def whoami(self) -> AccountInfo:
        own = str(self.credentials["id"])
        return AccountInfo(remote_id=own, handle=own, display_name=f"Account {own}")


class _PicturesSteps(ChannelSteps):
    def after_connect(self, channel: Channel) -> str:
        return f"Pictures step ran for {channel.name}."


class _SignIn:
    server_form = None
    start_template = "channels/connect_choose.html"

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp:
        return OAuthApp(
            "https://pagebook.example/dialog", "https://pagebook.example/t", "a", "s", ()
        )

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]:
        return [
            OfferedAccount("Page p1", {"id": "p1"}, remote_id="p1"),
            OfferedAccount("@pics", {"id": "g1"}, remote_id="g1", network="picturebook"),
        ]


class _Pagebook(Network):
    key = "pagebook"
    label = "Pagebook"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=5000)
    connection_class = _Account
    oauth = _SignIn()


class _Picturebook(Network):
    key = "picturebook"
    label = "Picturebook"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=2200)
    connection_class = _Account
    steps = _PicturesSteps()


@pytest.fixture(autouse=True)
def _networks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(NETWORKS, "pagebook", f"{__name__}._Pagebook")
    monkeypatch.setitem(NETWORKS, "picturebook", f"{__name__}._Picturebook")
    # Not real networks: their token answer comes from here, not from a server.
    monkeypatch.setattr(
        connecting, "exchange_code", lambda http, app, uri, code, verifier: {"access_token": "t"}
    )
    get_network.cache_clear()
    yield
    get_network.cache_clear()


def test_each_chosen_account_becomes_a_channel_of_its_own_network(
    alice_client, workspace_a
) -> None:
    authorize = alice_client.post(START)["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    chooser = alice_client.get(f"{START}callback/?state={state}&code=c")["Location"]
    page = alice_client.get(chooser).content.decode()
    assert "Page p1" in page and "@pics" in page and "Picturebook" in page

    answer = alice_client.post(chooser, {"account": ["0", "1"]}, follow=True)

    channels = Channel.objects.filter(workspace=workspace_a).order_by("remote_id")
    assert [(c.network, c.remote_id) for c in channels] == [
        ("picturebook", "g1"),
        ("pagebook", "p1"),
    ]
    assert "Pictures step ran for Account g1." in answer.content.decode()
