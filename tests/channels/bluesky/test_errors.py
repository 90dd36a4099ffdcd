"""Bluesky's XRPC errors become the right channel error (DESIGN.md invariant 5)."""

from __future__ import annotations

import time

import httpx
import pytest
import respx

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient, Unconfirmed

from .conftest import APPVIEW, appview_connection

CREATE = f"{APPVIEW}/xrpc/com.atproto.repo.createRecord"
REFRESH = f"{APPVIEW}/xrpc/com.atproto.server.refreshSession"
UPLOAD = f"{APPVIEW}/xrpc/com.atproto.repo.uploadBlob"
CREATED = {
    "uri": "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3k2yihcrp6f2c",
    "cid": "bafyreifzi5xyrf3c5jw7cci4zrltyl25ik2dboznop4qo4cotcfbyjtita",
}
NEW_SESSION = {
    "accessJwt": "access-2",
    "refreshJwt": "refresh-2",
    "did": "did:plc:kvwvcn5iqfooopmyzvb4qzba",
    "handle": "test.marshal.dev",
}


def xrpc_error(status: int, error: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": error, "message": message}, headers=headers)


def publish(text: str = "Bonjour") -> None:
    appview_connection().publish(OutgoingPost(text=text))


def test_invalid_request_is_permanent_with_bluesky_s_message(appview: respx.MockRouter) -> None:
    appview.post(CREATE).mock(
        return_value=xrpc_error(400, "InvalidRequest", "Record/text must not be longer")
    )

    with pytest.raises(Permanent, match="Record/text must not be longer") as refused:
        publish()
    assert "InvalidRequest" in refused.value.detail


def test_an_expired_token_is_refreshed_once_then_the_post_goes_through(
    appview: respx.MockRouter,
) -> None:
    create = appview.post(CREATE).mock(
        side_effect=[
            xrpc_error(400, "ExpiredToken", "Token has expired"),
            httpx.Response(200, json=CREATED),
        ]
    )
    refresh = appview.post(REFRESH).mock(return_value=httpx.Response(200, json=NEW_SESSION))
    connection = appview_connection()

    published = connection.publish(OutgoingPost(text="Bonjour"))

    assert published.remote_id == CREATED["uri"]
    assert refresh.calls.last.request.headers["authorization"] == "Bearer refresh-1"
    assert create.calls.last.request.headers["authorization"] == "Bearer access-2"
    assert connection.credentials["refresh_jwt"] == "refresh-2"
    assert connection.credentials_rotated


def test_still_refused_after_a_refresh_is_auth_expired(appview: respx.MockRouter) -> None:
    appview.post(CREATE).mock(return_value=xrpc_error(401, "InvalidToken", "Bad token"))
    refresh = appview.post(REFRESH).mock(return_value=httpx.Response(200, json=NEW_SESSION))

    with pytest.raises(AuthExpired):
        publish()
    assert refresh.call_count == 1


def test_a_refresh_answer_without_refresh_token_keeps_the_old_one(
    appview: respx.MockRouter,
) -> None:
    appview.post(CREATE).mock(return_value=xrpc_error(400, "ExpiredToken", "Token has expired"))
    appview.post(REFRESH).mock(
        return_value=httpx.Response(200, json={**NEW_SESSION, "refreshJwt": ""})
    )
    connection = appview_connection()

    with pytest.raises(Permanent, match="could not read"):
        connection.publish(OutgoingPost(text="Bonjour"))
    assert connection.credentials["refresh_jwt"] == "refresh-1"
    assert connection.credentials["access_jwt"] == "access-1"


def test_rate_limited_waits_until_bluesky_s_reset_time(appview: respx.MockRouter) -> None:
    reset = int(time.time()) + 120
    appview.post(CREATE).mock(
        return_value=xrpc_error(
            429, "RateLimitExceeded", "Rate Limit Exceeded", **{"ratelimit-reset": str(reset)}
        )
    )

    with pytest.raises(RateLimited) as limited:
        publish()
    assert 60 < limited.value.retry_after <= 120


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_error_on_create_record_is_unconfirmed(
    appview: respx.MockRouter, status: int
) -> None:
    appview.post(CREATE).mock(return_value=xrpc_error(status, "InternalServerError", "oops"))

    with pytest.raises(Unconfirmed):
        publish()


def test_a_timeout_on_create_record_is_unconfirmed(appview: respx.MockRouter) -> None:
    appview.post(CREATE).mock(side_effect=httpx.ReadTimeout("no answer"))

    with pytest.raises(Unconfirmed):
        publish()


def test_a_connection_refused_on_create_record_is_transient(appview: respx.MockRouter) -> None:
    appview.post(CREATE).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(Transient):
        publish()


def test_an_unreadable_success_on_create_record_is_unconfirmed(appview: respx.MockRouter) -> None:
    # The post probably exists: failing it would invite a person to post it twice.
    appview.post(CREATE).mock(return_value=httpx.Response(200, text="<html>ok</html>"))

    with pytest.raises(Unconfirmed):
        publish()


def test_a_failed_upload_is_transient_nothing_was_published(appview: respx.MockRouter) -> None:
    appview.post(UPLOAD).mock(return_value=httpx.Response(502, text="Bad Gateway"))
    create = appview.post(CREATE)
    media = (MediaFile("a.png", "image/png", b"\x89PNG", alt_text="a"),)

    with pytest.raises(Transient):
        appview_connection().publish(OutgoingPost(text="Photo", media=media))
    assert not create.called


def test_a_malformed_upload_answer_is_permanent(appview: respx.MockRouter) -> None:
    appview.post(UPLOAD).mock(return_value=httpx.Response(200, json={"blob": "nope"}))
    media = (MediaFile("a.png", "image/png", b"\x89PNG", alt_text="a"),)

    with pytest.raises(Permanent, match="could not read"):
        appview_connection().publish(OutgoingPost(text="Photo", media=media))
