"""CHORUS_ALLOW_PRIVATE_NETWORKS: a homeserver on the LAN can be listed; any other private
address stays refused, by the connect form and by the one HTTP client (after DNS, at connect
time). No request leaves loopback here: connections are recorded, not made."""

from __future__ import annotations

import socket
from typing import Any

import httpcore
import httpx
import pytest

from chorus.channels.server_address import BadAddress, server_address
from chorus.core import http as chorus_http

LAN = "192.168.1.20"


@pytest.fixture
def lan_listed(settings):  # type: ignore[no-untyped-def]
    settings.CHORUS_ALLOW_PRIVATE_NETWORKS = [LAN, "10.0.0.0/8"]


@pytest.fixture
def production(settings):  # type: ignore[no-untyped-def]
    """The open mode a server runs in (the tests' closed mode turned off)."""
    settings.CHORUS_BLOCK_EXTERNAL_HTTP = False
    settings.DEBUG = False


@pytest.mark.usefixtures("production", "lan_listed")
@pytest.mark.parametrize("address", [LAN, "10.20.30.40", "::ffff:192.168.1.20"])
def test_a_listed_address_is_allowed(address: str) -> None:
    assert chorus_http.address_allowed(address)


@pytest.mark.usefixtures("production", "lan_listed")
@pytest.mark.parametrize(
    "address", ["192.168.1.21", "172.16.0.1", "169.254.169.254", "127.0.0.1", "fd00::1"]
)
def test_an_unlisted_private_address_is_refused(address: str) -> None:
    assert not chorus_http.address_allowed(address)


@pytest.mark.usefixtures("production")
def test_nothing_private_is_allowed_until_listed() -> None:
    assert chorus_http.address_allowed("93.184.215.14")
    assert not chorus_http.address_allowed(LAN)


@pytest.mark.usefixtures("lan_listed")
def test_the_connect_form_accepts_a_listed_homeserver_only() -> None:
    assert server_address(f"http://{LAN}:8008") == f"http://{LAN}:8008"
    assert server_address("matrix.lan") == "https://matrix.lan"
    with pytest.raises(BadAddress):
        server_address("http://192.168.1.21:8008")


def test_the_connect_form_refuses_private_addresses_by_default() -> None:
    for address in (f"http://{LAN}:8008", "matrix.lan"):
        with pytest.raises(BadAddress):
            server_address(address)


class _Recorded(Exception):
    """Raised where the real connection would be made."""


@pytest.fixture
def resolving(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``matrix.lan`` resolves to the LAN homeserver, ``sneaky.example`` to another LAN machine;
    the connection the client would make is recorded instead of made."""
    answers = {"matrix.lan": LAN, "sneaky.example": "192.168.1.21"}
    made: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kw: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    def connect_tcp(self: Any, host: str, port: int, *args: Any, **kw: Any) -> Any:
        made.append(host)
        raise httpcore.ConnectError("recorded")

    monkeypatch.setattr(chorus_http.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return made


@pytest.mark.usefixtures("production", "lan_listed")
def test_the_http_client_connects_to_a_listed_homeserver_by_its_checked_address(
    resolving: list[str],
) -> None:
    with chorus_http.client() as http, pytest.raises(httpx.ConnectError):
        http.get("http://matrix.lan:8008/_matrix/client/versions")
    assert resolving == [LAN]


@pytest.mark.usefixtures("production", "lan_listed")
def test_the_http_client_refuses_a_name_that_resolves_to_an_unlisted_private_address(
    resolving: list[str],
) -> None:
    with chorus_http.client() as http, pytest.raises(chorus_http.ExternalHostBlocked):
        http.get("http://sneaky.example/")
    assert resolving == []


def test_the_closed_test_mode_still_allows_only_loopback() -> None:
    with chorus_http.client() as http, pytest.raises(chorus_http.ExternalHostBlocked):
        http.get("https://mastodon.social/api/v1/instance")


def test_a_malformed_entry_stops_the_server_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from chorus import settings as chorus_settings

    monkeypatch.setenv("CHORUS_ALLOW_PRIVATE_NETWORKS", "10.0.0.0/8, the-lan")
    with pytest.raises(ImproperlyConfigured, match="the-lan"):
        chorus_settings._private_networks()
