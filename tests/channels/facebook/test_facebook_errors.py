"""Meta's errors on a Page over loopback, classified once (DESIGN.md invariant 5): an expired
token, a rate limit with Meta's own wait, a body that is not JSON, a policy block."""

from __future__ import annotations

import json

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient
from chorus.channels.networks.facebook.network import Facebook
from tests.channels.facebook.conftest import PAGE_ID, V, page_body
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

EXPIRED = {
    "error": {
        "message": "Error validating access token: Session has expired.",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
    }
}


@pytest.fixture
def page(graph):  # type: ignore[no-untyped-def]
    graph.on("GET", f"{V}/{PAGE_ID}", Reply(200, page_body()))
    return Facebook.connect({"access_token": "page-token"}, {"page_id": PAGE_ID})


def test_an_expired_token_asks_for_a_reconnection(graph) -> None:
    graph.on("GET", f"{V}/{PAGE_ID}", Reply(401, EXPIRED))

    with pytest.raises(AuthExpired, match="Reconnect"):
        Facebook.connect({"access_token": "old"}, {"page_id": PAGE_ID}).whoami()


def test_a_rate_limit_waits_as_long_as_meta_says(page, graph) -> None:
    usage = {PAGE_ID: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    limited = {"error": {"message": "(#80001) Too many calls", "code": 80001}}
    headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(400, limited, headers))

    with pytest.raises(RateLimited) as raised:
        page.publish(OutgoingPost("Hello"))

    assert raised.value.retry_after == 7 * 60


def test_a_body_that_is_not_json_is_transient(page, graph) -> None:
    graph.on("GET", f"{V}/{PAGE_ID}/feed", Reply(200, b"<html>proxy error</html>"))

    with pytest.raises(Transient):
        page.recent_posts()


def test_a_policy_block_fails_with_meta_words(page, graph) -> None:
    blocked = {"error": {"message": "It looks like you were misusing this feature.", "code": 368}}
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(400, blocked))

    with pytest.raises(Permanent, match="against its policies: It looks like you were misusing"):
        page.publish(OutgoingPost("Hello"))


def test_a_missing_permission_is_permanent_with_meta_explanation(page, graph) -> None:
    graph.on("GET", f"{V}/{PAGE_ID}/feed", Reply(400, recorded("base/error_data.json")))

    with pytest.raises(Permanent, match="pages_read_engagement"):
        page.recent_posts()


def test_a_channel_without_a_token_must_reconnect() -> None:
    with pytest.raises(AuthExpired):
        Facebook.connect({}, {"page_id": PAGE_ID})
