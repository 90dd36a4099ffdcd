"""Connecting Mastodon in the browser: register on the server, approve there (PKCE + state), back.

Against the stand-in Mastodon on loopback (a real HTTP server with the OAuth endpoints), and
against the recorded Mastodon app/token cassettes where they fit.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from chorus.channels import services
from chorus.channels.connecting import connect_offered, finish_oauth, start_oauth
from chorus.channels.errors import Permanent
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.networks.mastodon.oauth import exchange_code
from chorus.core import http as chorus_http
from tests.channels.mastodon.mastodon_recordings import BASE_URL, Recording

START = "/channels/connect/mastodon/"
CALLBACK = "http://testserver/channels/connect/mastodon/callback/"


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _approve(authorize_url: str, decision: str = "allow") -> str:
    """What the person's browser does on the server's page: click a button, follow back."""
    assert httpx.get(authorize_url).status_code == 200  # the page with the buttons
    form = {**_query(authorize_url), "decision": decision}
    root = authorize_url.split("/oauth/")[0]
    answer = httpx.post(f"{root}/oauth/authorize", data=form, follow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["location"]


def _start(client: Client, instance: str) -> str:
    answer = client.post(START, {"instance": instance})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return answer["Location"]


def _come_back(client: Client, location: str):  # type: ignore[no-untyped-def]
    assert location.startswith(CALLBACK)
    return client.get(location.removeprefix("http://testserver"))


def test_sign_in_on_the_server_creates_the_channel(alice_client, workspace_a, standin) -> None:
    standin.oauth.account_id = "7"
    authorize = _start(alice_client, standin.root)

    query = _query(authorize)
    assert authorize.startswith(f"{standin.root}/oauth/authorize?")
    assert query["redirect_uri"] == CALLBACK and query["code_challenge_method"] == "S256"
    answer = _come_back(alice_client, _approve(authorize))

    assert answer.status_code == 302 and answer["Location"] == "/channels/"
    channel = Channel.objects.get(workspace=workspace_a)
    assert (channel.handle, channel.remote_id, channel.status) == ("user7", "7", "active")
    assert channel.settings["base_url"] == standin.root
    assert channel.credentials["access_token"] == "tok-7"
    assert channel.credentials["client_id"] == query["client_id"]
    stored = Channel.objects.filter(pk=channel.pk).values_list("encrypted_credentials", flat=True)
    assert "tok-7" not in stored[0] and channel.credentials["client_secret"] not in stored[0]
    assert "Stand-in 7 is connected." in alice_client.get("/channels/").content.decode()


def test_a_callback_with_another_state_is_refused(alice_client, standin) -> None:
    back = _approve(_start(alice_client, standin.root))
    forged = back.replace("state=", "state=x")

    answer = _come_back(alice_client, forged)

    assert answer.status_code == 400
    assert "not started here" in answer.content.decode()
    assert not Channel.objects.exists()
    assert standin.oauth.tokens_issued == []  # the code was never even traded


def test_a_callback_is_used_once(alice_client, standin) -> None:
    back = _approve(_start(alice_client, standin.root))
    assert _come_back(alice_client, back).status_code == 302

    assert _come_back(alice_client, back).status_code == 400


def test_another_person_cannot_finish_alices_sign_in(alice_client, charlie_client, standin) -> None:
    back = _approve(_start(alice_client, standin.root))

    assert _come_back(charlie_client, back).status_code == 400
    assert not Channel.objects.exists()


def test_refusing_access_on_the_server_connects_nothing(alice_client, standin) -> None:
    answer = _come_back(alice_client, _approve(_start(alice_client, standin.root), "deny"))

    assert answer.status_code == 200
    assert "Access was not given" in answer.content.decode()
    assert not Channel.objects.exists()


def test_the_server_checks_the_pkce_verifier(standin) -> None:
    with chorus_http.client() as http:
        from chorus.channels.networks.mastodon.oauth import (
            DEFAULT_SCOPES,
            authorization_url,
            code_challenge_for,
            register_app,
        )

        cid, secret = register_app(http, standin.root, CALLBACK, DEFAULT_SCOPES)
        url = authorization_url(
            standin.root, cid, CALLBACK, DEFAULT_SCOPES, "s", code_challenge_for("right" * 8)
        )
        code = _query(_approve(url))["code"]
        with pytest.raises(Permanent):
            exchange_code(http, standin.root, cid, secret, CALLBACK, code, "wrong" * 8)
    assert standin.oauth.refusals == ["PKCE verification failed"]
    assert standin.oauth.tokens_issued == []


@pytest.mark.parametrize(
    ("instance", "words"),
    [
        ("ftp://mastodon.social", "only connects to http:// or https://"),
        ("10.0.0.8", "private network"),
        ("http://169.254.169.254", "private network"),
        ("mastodon", "does not look like a server name"),
        ("http://127.0.0.1:1", "could not reach"),
    ],
)
def test_a_bad_server_address_is_explained(alice_client, instance, words) -> None:
    answer = alice_client.post(START, {"instance": instance})

    assert answer.status_code == 200
    assert words in answer.content.decode()


def test_a_server_that_is_not_mastodon_is_explained(alice_client, standin) -> None:
    answer = alice_client.post(START, {"instance": f"{standin.root}/not-here"})

    assert "does not answer like a Mastodon server" in answer.content.decode()


def test_reconnect_updates_that_channel(alice_client, workspace_a, standin) -> None:
    channel = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    services.mark_needs_reconnect(channel, "revoked")
    Channel.objects.filter(pk=channel.pk).update(name="Our Mastodon")
    page = alice_client.get(f"/channels/{channel.pk}/reconnect/").content.decode()
    assert standin.root in page  # the server is filled in

    answer = alice_client.post(f"/channels/{channel.pk}/reconnect/", {"instance": standin.root})
    standin.oauth.account_id = "7"
    _come_back(alice_client, _approve(answer["Location"]))

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE and channel.name == "Our Mastodon"
    assert Channel.objects.count() == 1


def test_reconnect_with_another_account_changes_nothing(alice_client, workspace_a, standin) -> None:
    channel = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    services.mark_needs_reconnect(channel, "revoked")
    answer = alice_client.post(f"/channels/{channel.pk}/reconnect/", {"instance": standin.root})
    standin.oauth.account_id = "8"

    page = _come_back(alice_client, _approve(answer["Location"])).content.decode()

    assert "another account" in page
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert not Channel.objects.filter(remote_id="8").exists()


def test_only_people_who_manage_channels_may_connect(bob_client, charlie_client, workspace_a):
    assert bob_client.get(START).status_code == 403
    assert bob_client.post(START, {"instance": "mastodon.social"}).status_code == 403
    assert bob_client.get("/channels/connect/mastodon/callback/?state=x").status_code == 403
    channel = Channel.objects.create(workspace=workspace_a, network="mastodon", remote_id="1")
    assert charlie_client.get(f"/channels/{channel.pk}/reconnect/").status_code == 404
    assert charlie_client.post(f"/channels/{channel.pk}/reconnect/").status_code == 404


def test_recorded_registration_and_token_connect_the_account(workspace_a) -> None:
    """Mastodon's own answers (recorded on a real server) go through the same two steps."""
    recording = Recording.of("test_app_account_create.yaml", "test_verify_credentials.yaml")
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))

    flow = start_oauth(workspace_a, "mastodon", BASE_URL, CALLBACK, http=http)
    offered = finish_oauth(flow, "the-code", http=http)
    [channel] = connect_offered(workspace_a, "mastodon", offered, http=http)

    assert flow.client_id == "dSqEHsXYueL3gn3LbghhdtDXqqa9es7Ydchk8qWmIA0"
    assert _query(flow.authorization_url())["code_challenge_method"] == "S256"
    token_request = parse_qs(recording.requests("POST", "/oauth/token")[0].content.decode())
    assert token_request["code_verifier"] == [flow.code_verifier]
    assert token_request["code"] == ["the-code"]
    assert channel.credentials["access_token"] == "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    assert channel.handle == recording_handle()


def recording_handle() -> str:
    recorded = Recording.of("test_verify_credentials.yaml")
    return str(recorded.find("GET", "/api/v1/accounts/verify_credentials").json()["acct"])
