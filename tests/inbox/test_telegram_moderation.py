"""Moderating a Telegram group from the inbox: delete a member's message, ban its author, and
undo the ban (unbanChatMember with only_if_banned), on the messages Telegram delivered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chorus.channels.models import Channel
from chorus.inbox import services_moderation
from chorus.inbox.models import Message, Note
from chorus.inbox.services import InboxRuleBroken
from chorus.inbox.webhooks import store_delivery
from tests.channels.telegram.loopback import Answer, LoopbackApi
from tests.channels.telegram.telegram_bot import ok
from tests.inbox.telegram_support import GROUP, answer, connect_group, delivery, running_bot_api

MEMBER = 187486854  # @dmkurto, who wrote "Оп" in the recorded supergroup


@pytest.fixture
def bot_api() -> Iterator[LoopbackApi]:
    yield from running_bot_api()


@pytest.fixture
def group(workspace_a, bot_api) -> Channel:
    return connect_group(workspace_a, bot_api)


@pytest.fixture
def said(group) -> Message:
    """The member's message, delivered by Telegram (the recorded update 7)."""
    store_delivery(group.pk, delivery(7))
    return Message.objects.select_related("author", "channel", "conversation").get(
        channel=group, remote_id=f"{GROUP}:2"
    )


def moderate(client, message: Message, action: str):
    url = f"/inbox/{message.conversation_id}/messages/{message.pk}/moderate/"
    return client.post(url, {"action": action}, follow=True)


def test_the_inbox_offers_delete_ban_remove_and_the_undo_of_a_ban(group) -> None:
    offered = services_moderation.moderation_for(group)
    assert offered == {"delete", "delete_own", "kick", "ban", "unban"}


def test_deleting_a_members_message(alice, bot_api, said) -> None:
    bot_api.answer("/deleteMessage", ok(True))

    services_moderation.delete_message(said, alice)

    assert bot_api.requests_to("/deleteMessage")[0].json() == {
        "chat_id": str(GROUP),
        "message_id": 2,
    }
    said.refresh_from_db()
    assert said.deleted


def test_a_message_telegram_will_not_delete_stays_and_the_reason_is_given(
    alice, bot_api, said
) -> None:
    bot_api.answer("/deleteMessage", answer("error_400_message_cant_be_deleted.json"))

    with pytest.raises(InboxRuleBroken, match="Delete messages"):
        services_moderation.delete_message(said, alice)

    said.refresh_from_db()
    assert not said.deleted


def test_ban_then_undo_from_the_conversation_page(alice_client, bot_api, said) -> None:
    bot_api.answer("/banChatMember", ok(True))
    bot_api.answer("/unbanChatMember", ok(True))

    banned = moderate(alice_client, said, "ban")
    page = moderate(alice_client, said, "unban").content.decode()

    after_ban = banned.content.decode()
    assert "Author banned." in after_ban
    # Once banned, the page offers the undo and not a second ban; once lifted, the other way round.
    assert 'value="unban"' in after_ban and 'value="ban"' not in after_ban
    assert bot_api.requests_to("/banChatMember")[0].json() == {
        "chat_id": str(GROUP),
        "user_id": MEMBER,
    }
    assert bot_api.requests_to("/unbanChatMember")[0].json() == {
        "chat_id": str(GROUP),
        "user_id": MEMBER,
        "only_if_banned": True,
    }
    assert "Ban lifted" in page and 'value="ban"' in page and 'value="unban"' not in page
    said.author.refresh_from_db()
    assert said.author.banned_at is None
    notes = list(Note.objects.filter(conversation=said.conversation).values_list("text", flat=True))
    assert len(notes) == 2 and "banned" in notes[0] and "lifted the ban" in notes[1]


def test_an_admin_cannot_be_banned_and_nothing_is_noted(alice, bot_api, said) -> None:
    # Telegram's description as bots quote it (recordings/SOURCE.md), in its error shape.
    refused = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: user is an administrator of the chat",
    }
    bot_api.answer("/banChatMember", Answer(400, refused))

    with pytest.raises(InboxRuleBroken, match="administrator of the chat"):
        services_moderation.ban_author(said, alice)

    assert not Note.objects.filter(conversation=said.conversation).exists()


def test_charlie_cannot_moderate_workspace_as_messages(charlie_client, bot_api, said) -> None:
    refused = charlie_client.post(
        f"/inbox/{said.conversation_id}/messages/{said.pk}/moderate/", {"action": "unban"}
    )

    assert refused.status_code == 404
    assert bot_api.requests_to("/unbanChatMember") == []
