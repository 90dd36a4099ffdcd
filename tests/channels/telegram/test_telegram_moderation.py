"""Deleting posts and messages, banning and removing people."""

from __future__ import annotations

import pytest

from chorus.channels.errors import Permanent
from tests.channels.telegram.loopback import Answer
from tests.channels.telegram.telegram_bot import CHANNEL, ok


def test_deleting_an_album_deletes_each_of_its_messages(bot_api, telegram) -> None:
    bot_api.answer("/deleteMessage", ok(True))

    telegram.delete(f"{CHANNEL}:40,41")

    assert [r.json() for r in bot_api.requests_to("/deleteMessage")] == [
        {"chat_id": str(CHANNEL), "message_id": 40},
        {"chat_id": str(CHANNEL), "message_id": 41},
    ]


def test_a_message_already_gone_counts_as_deleted(bot_api, telegram) -> None:
    gone = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message to delete not found",
    }
    bot_api.answer("/deleteMessage", Answer(400, gone))

    telegram.redact(f"{CHANNEL}:9", reason="spam")  # no error


def test_ban_and_kick(bot_api, telegram) -> None:
    bot_api.answer("/banChatMember", ok(True))
    bot_api.answer("/unbanChatMember", ok(True))

    telegram.ban("187486854")
    telegram.kick("412846761")

    bans = [r.json()["user_id"] for r in bot_api.requests_to("/banChatMember")]
    assert bans == [187486854, 412846761]
    assert bot_api.requests_to("/unbanChatMember")[0].json()["only_if_banned"] is True


def test_missing_rights_are_explained(bot_api, telegram) -> None:
    refused = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: not enough rights to restrict/unrestrict chat member",
    }
    bot_api.answer("/banChatMember", Answer(400, refused))

    with pytest.raises(Permanent, match="admin right"):
        telegram.ban("187486854")
