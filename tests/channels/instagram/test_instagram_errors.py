"""Meta's errors over loopback, classified before anyone acts on them (invariant 5)."""

from __future__ import annotations

import json

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import AuthExpired, RateLimited, Transient
from chorus.channels.networks.instagram.network import Instagram
from tests.channels.instagram.conftest import IG_USER, at
from tests.loopback import Reply

pytestmark = pytest.mark.django_db
PHOTO = MediaFile("cat.jpg", "image/jpeg", public_url="https://chorus.example/m/1")
POST = OutgoingPost("Hello", media=(PHOTO,), idempotency_key="k")


def test_an_expired_token_asks_for_a_reconnect(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(f"{IG_USER}/content_publishing_limit"), Reply(400, {"error": {"code": 190, "error_subcode": 463, "message": "Error validating access token: Session has expired"}}))  # fmt: skip

    with pytest.raises(AuthExpired):
        instagram.publish(POST)


def test_rate_limits_wait_as_long_as_meta_says(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    usage = {
        IG_USER: [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 12}]
    }
    graph.on("GET", at(f"{IG_USER}/content_publishing_limit"), Reply(
        400,
        {"error": {"code": 80002, "message": "There have been too many calls to this Instagram account."}},
        {"X-Business-Use-Case-Usage": json.dumps(usage)},
    ))  # fmt: skip

    with pytest.raises(RateLimited) as waiting:
        instagram.publish(POST)

    assert waiting.value.retry_after == 12 * 60


def test_a_body_that_is_not_json_is_transient(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET",
        at(f"{IG_USER}/media"),
        Reply(200, b"<html>proxy error</html>", {"content-type": "text/html"}),
    )

    with pytest.raises(Transient):
        instagram.recent_posts()


def test_a_container_answer_without_an_id_is_transient(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(f"{IG_USER}/content_publishing_limit"), Reply(200, {"data": []}))
    graph.on("POST", at(f"{IG_USER}/media"), Reply(200, {"unexpected": True}))

    with pytest.raises(Transient):
        instagram.publish(POST)

    assert graph.requests(at(f"{IG_USER}/media_publish")) == []


def test_a_channel_without_a_token_asks_for_a_reconnect() -> None:
    with pytest.raises(AuthExpired):
        Instagram.connect({"page_id": "1"})
