"""Connecting a Threads profile: Threads' own OAuth, then a 60-day token, offered only when set up.

The token bodies are recordings (``base/threads_user_token.json``: the code traded;
``base/threads_user_long_lived_token.json``: ``th_exchange_token``); the profile (``/me``)
follows Meta's documented shape.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from chorus.channels.models import Channel
from tests.channels.meta.recordings import recorded
from tests.channels.threads.conftest import V
from tests.loopback import Reply

START = "/channels/connect/threads/"
PROFILE = {"id": "12345678", "username": "chorus.cafe", "name": "Chorus Café"}


def _query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def _serve_tokens(meta) -> None:  # type: ignore[no-untyped-def]
    meta.on("POST", "/oauth/access_token", Reply(200, recorded("base/threads_user_token.json")))
    meta.on("GET", "/access_token", Reply(200, recorded("base/threads_user_long_lived_token.json")))
    meta.on("GET", f"{V}/me", Reply(200, PROFILE))


def test_signing_in_on_threads_connects_the_profile_with_a_long_lived_token(
    alice_client, workspace_a, meta
) -> None:
    _serve_tokens(meta)
    assert "Continue on Threads" in alice_client.get(START).content.decode()

    answer = alice_client.post(START)

    authorize = answer["Location"]
    query = _query(authorize)
    assert authorize.startswith(f"{meta.root}/oauth/authorize?")
    assert query["client_id"] == "threads-app-1" and query["response_type"] == "code"
    assert set(query["scope"].split()) >= {
        "threads_basic",
        "threads_content_publish",
        "threads_manage_replies",
        "threads_read_replies",
        "threads_manage_insights",
    }
    back = alice_client.get(f"/channels/connect/threads/callback/?code=C0DE&state={query['state']}")

    assert back.status_code == 302 and back["Location"] == "/channels/"
    channel = Channel.objects.get(workspace=workspace_a, network="threads")
    assert (channel.remote_id, channel.handle) == ("12345678", "@chorus.cafe")
    assert channel.credentials["access_token"] == "THQVJ..."
    expires_at = datetime.fromisoformat(channel.credentials["expires_at"])
    assert abs(expires_at - (datetime.now(UTC) + timedelta(seconds=5183944))) < timedelta(minutes=5)
    traded = parse_qs(meta.requests("/oauth/access_token")[0].body.decode())
    assert traded["client_secret"] == ["threads-secret-1"] and traded["code"] == ["C0DE"]
    exchange = meta.requests("/access_token")[0].query
    assert exchange["grant_type"] == "th_exchange_token"
    assert exchange["client_secret"] == "threads-secret-1"


def test_refused_approval_connects_nothing(alice_client, meta) -> None:
    _serve_tokens(meta)
    state = _query(alice_client.post(START)["Location"])["state"]

    back = alice_client.get(
        f"/channels/connect/threads/callback/?error=access_denied&state={state}"
    )

    assert "nothing was connected" in back.content.decode()
    assert not Channel.objects.filter(network="threads").exists()


def test_an_answer_without_a_long_lived_token_connects_nothing(alice_client, meta) -> None:
    _serve_tokens(meta)
    meta.on("GET", "/access_token", Reply(200, {"error_message": "nope"}))
    state = _query(alice_client.post(START)["Location"])["state"]

    back = alice_client.get(f"/channels/connect/threads/callback/?code=C&state={state}")

    assert back.status_code == 200
    assert not Channel.objects.filter(network="threads").exists()


def test_threads_is_offered_only_when_its_app_is_set(alice_client, meta, settings) -> None:
    assert (
        'href="/channels/connect/threads/"'
        in alice_client.get("/channels/connect/").content.decode()
    )

    settings.CHORUS_THREADS_APP_SECRET = ""

    assert (
        "/channels/connect/threads/" not in alice_client.get("/channels/connect/").content.decode()
    )
    assert alice_client.get(START).status_code == 404


def test_a_contributor_cannot_connect_threads(bob_client, meta) -> None:
    assert bob_client.post(START).status_code == 403
    assert not meta.received
