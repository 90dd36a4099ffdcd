"""Deleting posts and messages, banning and removing people."""

from __future__ import annotations

import pytest

from chorus.channels.errors import Permanent
from tests.channels.telegram.loopback import Answer
from tests.channels.telegram.telegram_bot import CHANNEL, ok, recorded


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


def recorded_error(name: str) -> Answer:
    body = recorded(name)
    return Answer(body["error_code"], body)


def test_a_message_the_bot_may_not_delete_is_an_error_not_a_deletion(bot_api, telegram) -> None:
    bot_api.answer("/deleteMessage", recorded_error("error_400_message_cant_be_deleted.json"))

    with pytest.raises(Permanent, match="Delete messages"):
        telegram.redact(f"{CHANNEL}:9")


def test_the_recorded_gone_message_counts_as_deleted(bot_api, telegram) -> None:
    bot_api.answer("/deleteMessage", recorded_error("error_400_message_to_delete_not_found.json"))

    telegram.redact(f"{CHANNEL}:9")  # no error

    assert len(bot_api.requests_to("/deleteMessage")) == 1


def test_unban_lifts_a_ban_only_and_never_removes_a_member(bot_api, telegram) -> None:
    bot_api.answer("/unbanChatMember", ok(True))

    telegram.unban("187486854")

    assert bot_api.requests_to("/unbanChatMember")[0].json() == {
        "chat_id": str(CHANNEL),
        "user_id": 187486854,
        "only_if_banned": True,
    }


def test_someone_speaking_as_a_channel_is_banned_and_unbanned_as_a_sender_chat(
    bot_api, telegram
) -> None:
    bot_api.answer("/banChatSenderChat", ok(True))
    bot_api.answer("/unbanChatSenderChat", ok(True))

    telegram.ban("-1001241558100")
    telegram.unban("-1001241558100")

    expected = {"chat_id": str(CHANNEL), "sender_chat_id": -1001241558100}
    assert bot_api.requests_to("/banChatSenderChat")[0].json() == expected
    assert bot_api.requests_to("/unbanChatSenderChat")[0].json() == expected
    assert bot_api.requests_to("/banChatMember") == []


def test_the_chat_itself_is_never_banned(bot_api, telegram) -> None:
    with pytest.raises(Permanent, match="posted as the chat itself"):
        telegram.ban(str(CHANNEL))
    assert bot_api.seen == []


def test_an_author_id_that_is_not_a_number_is_refused(bot_api, telegram) -> None:
    with pytest.raises(Permanent, match="not a Telegram account"):
        telegram.ban("@someone")
    assert bot_api.seen == []


# Telegram's descriptions as bots quote them in their lists of known errors (SOURCE.md), in the
# recorded error shape.
BASIC_GROUP = {
    "ok": False,
    "error_code": 400,
    "description": "Bad Request: method is available for supergroup and channel chats only",
}
ADMIN = {
    "ok": False,
    "error_code": 400,
    "description": "Bad Request: user is an administrator of the chat",
}


def test_in_a_basic_group_a_kick_is_the_ban_alone(bot_api, telegram) -> None:
    bot_api.answer("/banChatMember", ok(True))
    bot_api.answer("/unbanChatMember", Answer(400, BASIC_GROUP))

    telegram.kick("412846761")  # no error: the ban removed the person

    assert len(bot_api.requests_to("/banChatMember")) == 1


def test_in_a_basic_group_there_is_no_ban_to_lift(bot_api, telegram) -> None:
    bot_api.answer("/unbanChatMember", Answer(400, BASIC_GROUP))

    with pytest.raises(Permanent, match="no ban to lift"):
        telegram.unban("412846761")


def test_an_admin_cannot_be_banned_and_the_words_say_so(bot_api, telegram) -> None:
    bot_api.answer("/banChatMember", Answer(400, ADMIN))

    with pytest.raises(Permanent, match="administrator of the chat"):
        telegram.ban("187486854")
