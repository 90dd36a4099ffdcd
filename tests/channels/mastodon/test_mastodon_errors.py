"""Every failure is classified before anyone acts on it (DESIGN.md invariant 5)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon_recordings import Recording, connect

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient, Unconfirmed
from chorus.core import http as chorus_http


def test_429_waits_for_the_servers_own_reset_time() -> None:
    recording = Recording.of("test_toot.yaml")
    answer = recording.find("POST", "/api/v1/statuses")
    reset = datetime.now(UTC) + timedelta(minutes=5)
    answer.status, answer.body = 429, b'{"error":"Too many requests"}'
    answer.headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset.isoformat()})
    connection = recording.connect()

    with pytest.raises(RateLimited) as limited:
        connection.publish(OutgoingPost(text="Toot!", idempotency_key="k"))

    assert 200 < limited.value.retry_after <= 300
    assert connection.rate_limit.remaining == 0
    assert connection.rate_limit.reset_at == reset


def test_401_means_the_account_must_be_reconnected() -> None:
    recording = Recording.of("test_verify_credentials.yaml")
    answer = recording.find("GET", "/api/v1/accounts/verify_credentials")
    answer.status, answer.body = 401, b'{"error":"The access token is invalid"}'

    with pytest.raises(AuthExpired) as expired:
        recording.connect().whoami()
    assert "access token is invalid" in expired.value.detail


def test_missing_token_is_auth_expired_without_calling_the_server() -> None:
    recording = Recording.of("test_verify_credentials.yaml")
    connection = recording.connect()
    connection.credentials["access_token"] = ""
    with pytest.raises(AuthExpired):
        connection.whoami()
    assert recording.sent == []


@pytest.mark.parametrize(
    "body", [b"<html>502 Bad Gateway</html>", b'{"acct": "no id here"}', b"[]", b'"text"']
)
def test_unreadable_answer_is_permanent_not_a_crash(body: bytes) -> None:
    recording = Recording.of("test_verify_credentials.yaml")
    recording.find("GET", "/api/v1/accounts/verify_credentials").body = body
    with pytest.raises(Permanent, match="Mastodon"):
        recording.connect().whoami()


def test_unreadable_answer_to_a_publish_is_unconfirmed() -> None:
    # A 200 means the post exists: failing it would invite a duplicate; reconcile instead.
    recording = Recording.of("test_toot.yaml")
    recording.find("POST", "/api/v1/statuses").body = b'{"created_at": "2026-08-01"}'
    with pytest.raises(Unconfirmed):
        recording.connect().publish(OutgoingPost(text="Toot!", idempotency_key="k"))


@pytest.mark.parametrize(("key", "error"), [("k-1", Transient), ("", Unconfirmed)])
def test_server_error_on_publish(key: str, error: type[Exception]) -> None:
    recording = Recording.of("test_toot.yaml")
    answer = recording.find("POST", "/api/v1/statuses")
    answer.status, answer.body = 500, b'{"error":"We\'re sorry, but something went wrong"}'
    with pytest.raises(error):
        recording.connect().publish(OutgoingPost(text="Toot!", idempotency_key=key))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _real_client(port: int) -> httpx.Client:
    return chorus_http.client(
        base_url=f"http://127.0.0.1:{port}",
        transport=httpx.HTTPTransport(),
        timeout=httpx.Timeout(0.5),
    )


def test_connection_refused_is_transient() -> None:
    port = _free_port()  # nothing listens there any more
    connection = connect(_real_client(port), base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(Transient, match="could not reach"):
        connection.whoami()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A real local server that reads the request and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_timeout_on_publish_with_idempotency_key_is_safe_to_retry(silent_server: int) -> None:
    base_url = f"http://127.0.0.1:{silent_server}"
    connection = connect(_real_client(silent_server), base_url=base_url)
    with pytest.raises(Transient) as lost:
        connection.publish(OutgoingPost(text="Toot!", idempotency_key="target-9"))
    assert not isinstance(lost.value, Unconfirmed)


def test_timeout_on_publish_without_key_is_unconfirmed(silent_server: int) -> None:
    base_url = f"http://127.0.0.1:{silent_server}"
    connection = connect(_real_client(silent_server), base_url=base_url)
    with pytest.raises(Unconfirmed):
        connection.publish(OutgoingPost(text="Toot!"))
