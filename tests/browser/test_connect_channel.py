"""Alice connects channels like a person would: Mastodon by signing in on the (stand-in) server and
clicking "Authorize", then a Matrix room with the real Synapse and the credentials form."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from bench.standin_mastodon import StandIn, StandInServer
from chorus.channels.models import Channel
from tests.browser.conftest import shot
from tests.conftest import PASSWORD
from tests.servers.synapse import RunningSynapse

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standin() -> Iterator[StandInServer]:
    with StandIn() as server:
        server.oauth.account_id = "42"
        yield server


def _sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/account/signin/")
    page.fill("#id_email", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/today/")


def _room(synapse: RunningSynapse) -> str:
    alias = f"news-{uuid.uuid4().hex[:8]}"
    made = httpx.post(
        f"{synapse.base_url}/_matrix/client/v3/createRoom",
        json={"preset": "public_chat", "room_alias_name": alias, "name": "Brand A news"},
        headers={"Authorization": f"Bearer {synapse.users['bob'].access_token}"},
        timeout=30,
    )
    made.raise_for_status()
    return f"#{alias}:localhost"


def _connect_mastodon(page, standin: StandInServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/channels/")
    page.click("text=Connect a channel")
    page.wait_for_url("**/channels/connect/")
    shot(page, "connect-grid")
    page.click(".network-card[href$='/mastodon/']")
    page.fill("#id_instance", standin.root)
    shot(page, "connect-mastodon")
    page.click("button:has-text('Continue on my server')")
    page.wait_for_url(f"{standin.root}/oauth/authorize**")
    assert "@user42" in page.inner_text("main")
    page.click("button:has-text('Authorize')")
    page.wait_for_url("**/channels/")
    assert "Stand-in 42 is connected." in page.inner_text(".flash")


def _connect_matrix(page, synapse: RunningSynapse) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/channels/connect/")
    page.click(".network-card[href$='/matrix/']")
    page.fill("#id_base_url", synapse.base_url)
    page.fill("#id_access_token", "syt_wrong_token")
    page.fill("#id_room", _room(synapse))
    page.click("button:has-text('Check and connect')")
    assert "refused these credentials" in page.inner_text(".field.has-error")
    assert page.input_value("#id_access_token") == ""  # the secret is not sent back
    shot(page, "connect-matrix-error")
    page.fill("#id_access_token", synapse.users["alice"].access_token)
    page.click("button:has-text('Check and connect')")
    page.wait_for_url("**/channels/")


def test_connect_mastodon_then_a_matrix_room(page, workspace_a, standin, synapse) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page)
    _connect_mastodon(page, standin)
    _connect_matrix(page, synapse)

    assert set(Channel.objects.values_list("network", "handle")) == {
        ("mastodon", "user42"),
        ("matrix", "@alice:localhost"),
    }
    assert Channel.objects.get(network="mastodon").credentials["access_token"] == "tok-42"
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Réglages"
    assert "Stand-in 42" in page.inner_text(".channel-table")
    shot(page, "channels-connected-fr")
    page.click("text=Stand-in 42")
    shot(page, "channel-page-fr")
