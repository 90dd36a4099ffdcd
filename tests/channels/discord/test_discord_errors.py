"""Discord's refusals are classified (DESIGN.md invariant 5)."""

from __future__ import annotations

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import AuthExpired, ChannelError, RateLimited, Transient, Unconfirmed
from tests.channels.discord.discord_hook import HOOK_PATH, connect, posts, recorded
from tests.channels.telegram.loopback import Answer

POST = OutgoingPost(text="Hello")


def failing_post(loopback, answer: Answer):  # type: ignore[no-untyped-def]
    hook = connect(loopback)
    hook.webhook()
    loopback.answers[HOOK_PATH].insert(0, answer)
    return hook


def test_429_waits_for_the_exact_retry_after_of_the_body(loopback) -> None:
    headers = {"Retry-After": "65", "X-RateLimit-Reset-After": "64.57"}
    hook = failing_post(loopback, Answer(429, recorded("rate_limited.json"), headers))

    with pytest.raises(RateLimited) as caught:
        hook.publish(POST)

    assert caught.value.retry_after == pytest.approx(64.57)


@pytest.mark.parametrize(
    ("status", "body"), [(404, "unknown_webhook.json"), (401, "invalid_webhook_token.json")]
)
def test_a_deleted_or_reset_webhook_needs_a_reconnect(loopback, status, body) -> None:
    hook = failing_post(loopback, Answer(status, recorded(body)))

    with pytest.raises(AuthExpired, match="Create a new webhook"):
        hook.publish(POST)


def test_a_5xx_on_a_post_is_unconfirmed(loopback) -> None:
    hook = failing_post(loopback, Answer(502, b"<html>Bad Gateway</html>"))

    with pytest.raises(Unconfirmed):
        hook.publish(POST)


def test_a_5xx_on_reading_the_webhook_is_transient(loopback) -> None:
    loopback.answer(HOOK_PATH, Answer(503, b"upstream"))
    from chorus.channels.networks.discord.network import Discord
    from chorus.core import http as chorus_http

    hook = Discord.connect(
        {"webhook_url": f"https://discord.com{HOOK_PATH}"},
        {"api_root": loopback.url},
        http=chorus_http.client(),
    )

    with pytest.raises(Transient):
        hook.whoami()


def test_no_answer_after_posting_is_unconfirmed_and_sent_once(loopback) -> None:
    hook = connect(loopback, timeout=0.3)
    hook.webhook()
    loopback.answers[HOOK_PATH].insert(0, Answer(200, recorded("message.json"), delay=1.5))

    with pytest.raises(Unconfirmed):
        hook.publish(POST)

    assert len(posts(loopback)) == 1


def test_nothing_can_be_read_back(loopback) -> None:
    with pytest.raises(ChannelError, match="look in the channel"):
        connect(loopback).recent_posts()
