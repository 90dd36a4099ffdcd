"""Connecting: registering Chorus on the server, the approval link (PKCE), the token."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
from mastodon_recordings import BASE_URL, Recording

from chorus.channels.networks.mastodon.oauth import (
    DEFAULT_SCOPES,
    authorization_url,
    code_challenge_for,
    exchange_code,
    instance_root,
    new_code_verifier,
    register_app,
)
from chorus.core import http as chorus_http

REDIRECT = "https://chorus.example/channels/mastodon/callback"


def _client(recording: Recording) -> httpx.Client:
    return chorus_http.client(transport=httpx.MockTransport(recording.handle))


def test_register_app_returns_client_id_and_secret() -> None:
    recording = Recording.of("test_app_account_create.yaml")

    client_id, secret = register_app(_client(recording), BASE_URL, REDIRECT, DEFAULT_SCOPES)

    assert client_id == "dSqEHsXYueL3gn3LbghhdtDXqqa9es7Ydchk8qWmIA0"
    assert secret == "nUEMHt2lM0OT2tPILQfrX10Wn9NAsH86FdIHwJmqCyg"
    (request,) = recording.sent
    sent = parse_qs(request.content.decode())
    assert sent["redirect_uris"] == [REDIRECT]
    assert sent["scopes"] == [" ".join(DEFAULT_SCOPES)]


def test_authorization_url_matches_what_the_server_announces() -> None:
    recording = Recording.of("test_auth_request_url.yaml")
    server = recording.find("GET", "/.well-known/oauth-authorization-server").json()
    verifier = new_code_verifier()

    url = authorization_url(
        BASE_URL, "cid", REDIRECT, DEFAULT_SCOPES, "state-1", code_challenge_for(verifier)
    )

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == server["authorization_endpoint"]
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["code_challenge_method"] in server["code_challenge_methods_supported"]
    assert set(query["scope"].split()) <= set(server["scopes_supported"])
    assert query["state"] == "state-1"
    assert query["response_type"] in server["response_types_supported"]
    assert query["code_challenge"] == code_challenge_for(verifier)


def test_pkce_challenge_is_unpadded_base64url_of_sha256() -> None:
    verifier = new_code_verifier()
    digest = hashlib.sha256(verifier.encode("ascii")).digest()

    assert code_challenge_for(verifier) == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert 43 <= len(verifier) <= 128
    assert verifier != new_code_verifier()


def test_exchange_code_gives_channel_credentials() -> None:
    recording = Recording.of("test_app_account_create.yaml")
    recording.answers = [a for a in recording.answers if a.path == "/oauth/token"]

    credentials = exchange_code(
        _client(recording), BASE_URL, "cid", "secret", REDIRECT, "the-code", "the-verifier"
    )

    assert credentials["access_token"] == "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    assert credentials["scopes"] == ["read", "write", "follow", "push"]
    assert credentials["client_id"] == "cid"
    sent = parse_qs(recording.sent[0].content.decode())
    assert sent["grant_type"] == ["authorization_code"]
    assert sent["code_verifier"] == ["the-verifier"]


def test_server_address_is_normalised() -> None:
    assert instance_root("mastodon.social/") == "https://mastodon.social"
    assert instance_root(" http://localhost:3000 ") == "http://localhost:3000"
