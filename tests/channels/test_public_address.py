"""Is CHORUS_BASE_URL reachable from the internet? Said on the connect card before anything fails.

Host names are IP literals and ``localhost`` only: the check must not touch the network here.
"""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.channels.networks.mastodon.network import Mastodon
from chorus.channels.public_address import reachability_warnings, why_unreachable


@pytest.mark.parametrize(
    "address",
    ["https://93.184.215.14", "http://93.184.215.14:8000", "https://[2606:4700:4700::1111]/chorus"],
)
def test_public_addresses_are_reachable(address: str) -> None:
    assert why_unreachable(address) == ""


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1 is a private address"),
        ("http://localhost:8000", "localhost is a name inside this machine or network"),
        ("https://chorus.local", "chorus.local is a name inside this machine or network"),
        ("https://10.0.0.5", "10.0.0.5 is a private address"),
        ("https://192.168.1.20:8443", "192.168.1.20 is a private address"),
        ("https://[::1]", "::1 is a private address"),
        ("https://169.254.169.254", "169.254.169.254 is a private address"),
        ("ftp://93.184.215.14", "it is not an http:// or https:// address"),
        ("chorus.example.org", "it is not an http:// or https:// address"),
    ],
)
def test_private_and_odd_addresses_are_not(address: str, why: str) -> None:
    assert why_unreachable(address) == why


def test_only_networks_that_reach_chorus_are_warned(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_BASE_URL = "http://127.0.0.1:8000"
    assert reachability_warnings(Mastodon) == []  # Mastodon takes uploads and is polled
    monkeypatch.setattr(Mastodon, "fetches_media", True)
    (said,) = reachability_warnings(Mastodon)
    assert said.startswith("Mastodon fetches your pictures and videos from Chorus at ")
    assert "CHORUS_BASE_URL=http://127.0.0.1:8000, which the internet cannot reach" in said
    settings.CHORUS_BASE_URL = "https://93.184.215.14"
    assert reachability_warnings(Mastodon) == []


@pytest.mark.django_db
def test_the_connect_card_says_it_in_both_languages(
    settings, monkeypatch: pytest.MonkeyPatch, alice_client: Client
) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_BASE_URL = "http://localhost:8000"
    monkeypatch.setattr(Mastodon, "fetches_media", True)
    page = alice_client.get("/channels/connect/").content.decode()
    assert "which the internet cannot reach (localhost is a name inside" in page
    assert "CHORUS_BASE_URL=http://localhost:8000" in page
    french = alice_client.get("/channels/connect/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "que l’internet ne peut pas joindre" in french
    settings.CHORUS_BASE_URL = "https://93.184.215.14"
    assert "cannot reach" not in alice_client.get("/channels/connect/").content.decode()
