"""Meta's error answers on graph.threads.net, classified as for every Meta network.

Documented shapes (the Graph error object; developers.facebook.com/docs/threads/troubleshooting
and the Graph API error-handling guide), served on loopback.
"""

from __future__ import annotations

import json

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient
from tests.channels.threads.conftest import USER, V
from tests.channels.threads.conftest import graph_error as error_body
from tests.loopback import Reply


def test_code_190_is_an_expired_access(meta, connection) -> None:
    meta.on("GET", f"{V}/me", Reply(400, error_body(190, "Error validating access token")))

    with pytest.raises(AuthExpired):
        connection.whoami()


def test_a_rate_limit_waits_as_long_as_meta_says(meta, connection) -> None:
    usage = {USER: [{"type": "threads", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    meta.on(
        "GET",
        f"{V}/{USER}/threads_publishing_limit",
        Reply(
            400,
            error_body(4, "Application request limit reached"),
            {"x-business-use-case-usage": json.dumps(usage)},
        ),
    )

    with pytest.raises(RateLimited) as raised:
        connection.publish(OutgoingPost(text="x"))
    assert raised.value.retry_after == 7 * 60


def test_a_refusal_on_policy_grounds_fails_in_meta_s_words(meta, connection) -> None:
    meta.on(
        "GET",
        f"{V}/{USER}/threads_publishing_limit",
        Reply(200, {"data": [{"quota_usage": 0, "config": {"quota_total": 250}}]}),
    )
    meta.on(
        "POST",
        f"{V}/{USER}/threads",
        Reply(400, error_body(100, "Param text must be at most 500 characters long.")),
    )

    with pytest.raises(Permanent, match="at most 500 characters"):
        connection.publish(OutgoingPost(text="x" * 501))


def test_an_answer_that_is_not_json_is_transient(meta, connection) -> None:
    meta.on("GET", f"{V}/me", Reply(200, "<html>maintenance</html>"))

    with pytest.raises(Transient):
        connection.whoami()


def test_a_profile_answer_without_an_id_is_refused(meta, connection) -> None:
    meta.on("GET", f"{V}/me", Reply(200, {"username": "someone"}))

    with pytest.raises(Permanent):
        connection.whoami()
