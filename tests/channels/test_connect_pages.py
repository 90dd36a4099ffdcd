"""The connect grid and the one credentials form: Bluesky on a real PDS, Matrix on a real Synapse.

Good credentials connect; refused ones are form errors; a secret is never sent back in the page;
only people who manage channels get there, and only for their own workspace's channels.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
import pytest
from django.forms import PasswordInput

from chorus.channels import services
from chorus.channels.base import Capability, CredentialField, Limits, Network, SettingField
from chorus.channels.forms import ConnectForm
from chorus.channels.models import Channel, ChannelStatus
from tests.channels.test_bluesky_rotation_on_connect import new_account
from tests.servers.synapse import PASSWORD, RunningSynapse

pytestmark = pytest.mark.server


@pytest.fixture
def room(synapse: RunningSynapse) -> str:
    """A fresh public room made by bob; alice's bot account is not in it yet."""
    alias = f"news-{uuid.uuid4().hex[:8]}"
    made = httpx.post(
        f"{synapse.base_url}/_matrix/client/v3/createRoom",
        json={"preset": "public_chat", "room_alias_name": alias},
        headers={"Authorization": f"Bearer {synapse.users['bob'].access_token}"},
        timeout=30,
    )
    made.raise_for_status()
    return f"#{alias}:localhost"


def _page(answer) -> str:  # type: ignore[no-untyped-def]
    return answer.content.decode()


# -- the grid -----------------------------------------------------------------------------------


def test_the_grid_leads_to_every_network(alice_client) -> None:
    page = _page(alice_client.get("/channels/connect/"))

    for key, label in (("mastodon", "Mastodon"), ("bluesky", "Bluesky"), ("matrix", "Matrix")):
        assert f'href="/channels/connect/{key}/"' in page and label in page
    assert "Any Mastodon server" in page


def test_the_channel_list_offers_to_connect_to_those_who_may(alice_client, bob_client) -> None:
    assert 'href="/channels/connect/"' in _page(alice_client.get("/channels/"))
    assert 'href="/channels/connect/"' not in _page(bob_client.get("/channels/"))


def test_connecting_needs_the_manage_channels_permission(bob_client) -> None:
    assert bob_client.get("/channels/connect/").status_code == 403
    assert bob_client.get("/channels/connect/bluesky/").status_code == 403
    assert bob_client.post("/channels/connect/matrix/", {}).status_code == 403


def test_an_unknown_network_is_not_found(alice_client) -> None:
    assert alice_client.get("/channels/connect/myspace/").status_code == 404


# -- Bluesky ------------------------------------------------------------------------------------


def test_bluesky_with_a_good_app_password_connects(alice_client, workspace_a, pds) -> None:
    account = new_account(pds, "brand")

    answer = alice_client.post(
        "/channels/connect/bluesky/", {**account, "base_url": pds.url, "name": "Brand A sky"}
    )

    assert answer.status_code == 302 and answer["Location"] == "/channels/"
    channel = Channel.objects.get(workspace=workspace_a, network="bluesky")
    assert channel.name == "Brand A sky" and channel.handle == account["identifier"]
    assert channel.settings == {"base_url": pds.url}
    assert channel.credentials["refresh_jwt"]


def test_bluesky_with_a_wrong_app_password_is_a_form_error(alice_client, pds) -> None:
    account = new_account(pds, "wrong")
    typed = "abcd-efgh-ijkl-mnop"

    answer = alice_client.post(
        "/channels/connect/bluesky/", {**account, "app_password": typed, "base_url": pds.url}
    )

    page = _page(answer)
    assert answer.status_code == 400
    assert "refused this handle and app password" in page
    assert typed not in page  # the secret is not sent back
    assert account["identifier"] in page  # what is not secret stays filled in
    assert not Channel.objects.exists()


def test_a_bad_server_address_is_a_field_error(alice_client) -> None:
    answer = alice_client.post(
        "/channels/connect/bluesky/",
        {"identifier": "a.test", "app_password": "x", "base_url": "ftp://pds.example"},
    )

    assert answer.status_code == 400
    assert "only connects to http:// or https://" in _page(answer)


# -- Matrix -------------------------------------------------------------------------------------


def test_matrix_with_an_access_token_joins_the_room(alice_client, workspace_a, synapse, room):
    alice = synapse.users["alice"]

    answer = alice_client.post(
        "/channels/connect/matrix/",
        {"base_url": synapse.base_url, "access_token": alice.access_token, "room": room},
    )

    assert answer.status_code == 302
    channel = Channel.objects.get(workspace=workspace_a, network="matrix")
    assert channel.remote_id == "@alice:localhost"
    # The room is someone else's and alice a plain member there: her power level is stored too.
    assert channel.settings == {
        "base_url": synapse.base_url,
        "room": room,
        "refused_verbs": ["ban", "kick", "redact", "unban"],
    }
    client = f"{synapse.base_url}/_matrix/client/v3"
    headers = {"Authorization": f"Bearer {alice.access_token}"}
    room_id = httpx.get(f"{client}/directory/room/{quote(room, safe='')}", timeout=30).json()
    joined = httpx.get(f"{client}/joined_rooms", headers=headers, timeout=30).json()
    assert room_id["room_id"] in joined["joined_rooms"]


def test_matrix_with_a_password_keeps_only_the_token(alice_client, workspace_a, synapse, room):
    answer = alice_client.post(
        "/channels/connect/matrix/",
        {
            "base_url": synapse.base_url + "/",
            "login_user": "charlie",
            "login_password": PASSWORD,
            "room": room,
        },
    )

    assert answer.status_code == 302
    stored = Channel.objects.get(workspace=workspace_a).credentials
    assert stored["user_id"] == "@charlie:localhost" and stored["access_token"]
    assert PASSWORD not in str(stored)


def test_matrix_refusals_are_field_errors(alice_client, synapse, room) -> None:
    form = {"base_url": synapse.base_url, "room": room}
    bad_token = alice_client.post("/channels/connect/matrix/", {**form, "access_token": "syt_x"})
    bad_password = alice_client.post(
        "/channels/connect/matrix/", {**form, "login_user": "alice", "login_password": "nope-42"}
    )
    no_room = alice_client.post(
        "/channels/connect/matrix/",
        {**form, "access_token": synapse.users["alice"].access_token, "room": "#nowhere:localhost"},
    )
    nothing = alice_client.post("/channels/connect/matrix/", form)

    assert "refused these credentials" in _page(bad_token) and "syt_x" not in _page(bad_token)
    assert "refused this user name and password" in _page(bad_password)
    assert "nope-42" not in _page(bad_password)
    assert "cannot join this room" in _page(no_room)
    assert "access token, or its user name and password" in _page(nothing)
    assert {a.status_code for a in (bad_token, bad_password, no_room, nothing)} == {400}
    assert not Channel.objects.exists()


# -- reconnect ----------------------------------------------------------------------------------


@pytest.fixture
def broken_bluesky(workspace_a, pds) -> tuple[Channel, dict[str, str]]:
    account = new_account(pds, "broken")
    channel = services.connect(workspace_a, "bluesky", account, {"base_url": pds.url})
    services.mark_needs_reconnect(channel, "app password revoked")
    return channel, account


def test_reconnect_is_prefilled_without_secrets(alice_client, broken_bluesky, pds) -> None:
    channel, account = broken_bluesky

    list_page = _page(alice_client.get("/channels/"))
    page = _page(alice_client.get(f"/channels/{channel.pk}/reconnect/"))

    assert f'href="/channels/{channel.pk}/reconnect/"' in list_page
    assert f'href="/channels/{channel.pk}/reconnect/"' in _page(
        alice_client.get(f"/channels/{channel.pk}/")
    )
    assert account["identifier"] in page and pds.url in page
    stored = channel.credentials
    for secret in (account["app_password"], stored["access_jwt"], stored["refresh_jwt"]):
        assert secret not in page


def test_reconnect_updates_that_channel(alice_client, broken_bluesky, pds) -> None:
    channel, account = broken_bluesky

    answer = alice_client.post(
        f"/channels/{channel.pk}/reconnect/",
        {**account, "base_url": pds.url, "name": channel.name},
    )

    assert answer.status_code == 302
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert Channel.objects.count() == 1


def test_reconnect_with_another_account_changes_nothing(alice_client, broken_bluesky, pds):
    channel, _account = broken_bluesky
    other = new_account(pds, "other")

    answer = alice_client.post(f"/channels/{channel.pk}/reconnect/", {**other, "base_url": pds.url})

    assert answer.status_code == 400 and "another account" in _page(answer)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert Channel.objects.count() == 1


def test_charlie_cannot_reconnect_a_channel_of_workspace_a(charlie_client, broken_bluesky, pds):
    channel, account = broken_bluesky

    assert charlie_client.get(f"/channels/{channel.pk}/reconnect/").status_code == 404
    answer = charlie_client.post(
        f"/channels/{channel.pk}/reconnect/", {**account, "base_url": pds.url}
    )

    assert answer.status_code == 404
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert not Channel.objects.filter(workspace__slug="charlie-co").exists()


def test_bob_cannot_reconnect(bob_client, broken_bluesky) -> None:
    channel, _account = broken_bluesky

    assert bob_client.get(f"/channels/{channel.pk}/reconnect/").status_code == 403
    assert f"/channels/{channel.pk}/reconnect/" not in _page(bob_client.get("/channels/"))


# -- a network that declares its own fields (Telegram, Discord…) --------------------------------


class _BotNetwork(Network):
    key = "botnet"
    label = "Botnet"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=4096)
    credential_fields = {"bot_token": CredentialField("Bot token", secret=True)}
    settings_fields = {"chat_id": SettingField(label="Chat", help_text="@channel or id")}


def test_the_form_is_built_from_the_networks_own_fields() -> None:
    form = ConnectForm({"bot_token": " 123:abc\n", "chat_id": "@news"}, network=_BotNetwork)

    assert form.is_valid(), form.errors
    assert list(form.fields) == ["bot_token", "chat_id", "name"]
    assert isinstance(form.fields["bot_token"].widget, PasswordInput)
    entered = form.entered()
    assert entered.credentials == {"bot_token": "123:abc"}
    assert entered.settings == {"chat_id": "@news"}
    assert not ConnectForm({"chat_id": "@news"}, network=_BotNetwork).is_valid()
