"""Every failure is classified before anyone acts on it (DESIGN.md invariant 5)."""

from __future__ import annotations

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import (
    AuthExpired,
    ChannelError,
    Permanent,
    RateLimited,
    Transient,
    Unconfirmed,
)
from tests.channels.telegram.loopback import Answer
from tests.channels.telegram.telegram_bot import connect, recorded

POST = OutgoingPost(text="Hello")


def error(name: str) -> Answer:
    body = recorded(name)
    return Answer(body["error_code"], body)


def test_429_waits_for_telegrams_retry_after(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", error("error_429.json"))

    with pytest.raises(RateLimited) as caught:
        telegram.publish(POST)

    assert caught.value.retry_after == 5
    assert "Too Many Requests" in caught.value.detail


def test_a_revoked_token_asks_for_the_new_one(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", error("error_401.json"))

    with pytest.raises(AuthExpired, match="@BotFather"):
        telegram.publish(POST)


def test_a_bot_thrown_out_of_the_chat_asks_to_add_it_back(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", error("error_403_blocked.json"))

    with pytest.raises(AuthExpired, match="Add it back as an administrator"):
        telegram.publish(POST)


def test_an_unknown_chat_is_permanent_and_explained(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", error("error_400_chat_not_found.json"))

    with pytest.raises(Permanent, match="does not know this chat"):
        telegram.publish(POST)


def test_a_group_turned_supergroup_names_its_new_id(bot_api, telegram) -> None:
    body = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1001283156137},
    }
    bot_api.answer("/sendMessage", Answer(400, body))

    with pytest.raises(Permanent, match="-1001283156137"):
        telegram.publish(POST)


def test_a_5xx_on_a_send_is_unconfirmed_never_retried(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", error("error_502.json"))

    with pytest.raises(Unconfirmed):
        telegram.publish(POST)


def test_a_5xx_on_a_read_is_transient(bot_api, telegram) -> None:
    bot_api.answer("/getUpdates", error("error_502.json"))

    with pytest.raises(Transient):
        telegram.fetch_inbox("")


def test_no_answer_after_sending_is_unconfirmed(bot_api) -> None:
    bot_api.answer("/sendMessage", Answer(200, {"ok": True, "result": {}}, delay=1.5))
    impatient = connect(bot_api, timeout=0.3)

    with pytest.raises(Unconfirmed, match="may have gone through"):
        impatient.publish(POST)

    assert len(bot_api.requests_to("/sendMessage")) == 1  # sent once, not retried


def test_an_unreadable_success_is_unconfirmed(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", Answer(200, b"<html>gateway</html>"))

    with pytest.raises(Unconfirmed):
        telegram.publish(POST)


def test_an_ok_answer_without_the_message_is_unconfirmed(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", Answer(200, {"ok": True, "result": True}))

    with pytest.raises(Unconfirmed, match="check the chat"):
        telegram.publish(POST)


def test_nothing_can_be_read_back_so_the_sweeper_is_told_so(telegram) -> None:
    # The sweeper catches ChannelError from recent_posts and fails the post after its grace
    # period with words asking a person to check; anything else would break the sweep.
    with pytest.raises(ChannelError, match="open the chat"):
        telegram.recent_posts()
