"""What the bot may do in its chat follows its administrator rights (recorded ChatMember bodies).

The inbox offers Delete only to a bot with "Delete messages", and Remove, Ban and Unban only to one
with "Ban users"; connecting stores what Telegram said, checking again follows a change.
"""

from __future__ import annotations

import pytest

from chorus.channels import services
from chorus.channels.models import Channel
from chorus.core import http as chorus_http
from chorus.inbox.services_moderation import moderation_for
from tests.channels.telegram.telegram_bot import CHANNEL, TOKEN, ok, recorded

CHAT = {"id": CHANNEL, "title": "VVV talk", "type": "channel", "username": "vvvtalk"}
MEMBERSHIP = {"kick", "ban", "unban"}


def answer_as(bot_api, member: object) -> None:  # type: ignore[no-untyped-def]
    """From now on Telegram answers with this member (what was queued before is dropped)."""
    bot_api.answers.clear()
    bot_api.answer("/getMe", ok(recorded("getMe.json")["result"]))
    bot_api.answer("/getChat", ok(CHAT))
    bot_api.answer("/getChatMember", ok(member))


@pytest.mark.parametrize(
    ("member", "refused"),
    [
        (recorded("chatMember_admin_supergroup.json"), set()),
        (recorded("chatMember_admin_channel.json"), {"redact"}),
        (
            {**recorded("chatMember_admin_supergroup.json"), "can_restrict_members": False},
            MEMBERSHIP,
        ),
        ({"status": "creator", "is_anonymous": False}, set()),
        ({"status": "member"}, {"redact"} | MEMBERSHIP),
        ({"status": "restricted", "can_send_messages": True}, {"redact"} | MEMBERSHIP),
    ],
)
def test_the_bots_rights_decide_what_it_may_do(bot_api, telegram, member, refused) -> None:  # type: ignore[no-untyped-def]
    answer_as(bot_api, member)

    assert telegram.refused_verbs() == refused
    asked = bot_api.requests_to("/getChatMember")[0].json()
    assert asked == {"chat_id": str(CHANNEL), "user_id": recorded("getMe.json")["result"]["id"]}


def connected(bot_api, workspace) -> Channel:  # type: ignore[no-untyped-def]
    return services.connect(
        workspace,
        "telegram",
        {"bot_token": TOKEN},
        {"chat_id": "@vvvtalk", "api_root": bot_api.url},
        http=chorus_http.client(),
    )


def test_connecting_stores_what_the_bot_may_not_do(bot_api, workspace_a) -> None:  # type: ignore[no-untyped-def]
    answer_as(bot_api, recorded("chatMember_admin_channel.json"))

    channel = connected(bot_api, workspace_a)

    assert Channel.objects.get(pk=channel.pk).settings["refused_verbs"] == ["redact"]
    offered = moderation_for(channel)
    assert "delete" not in offered and {"ban", "kick", "unban"} <= offered
    assert "delete_own" in offered  # the bot may always take back its own replies


def test_checking_again_follows_a_right_given_since(bot_api, workspace_a) -> None:  # type: ignore[no-untyped-def]
    answer_as(bot_api, recorded("chatMember_admin_channel.json"))
    channel = connected(bot_api, workspace_a)
    answer_as(bot_api, {**recorded("chatMember_admin_channel.json"), "can_delete_messages": True})

    services.check_connection(Channel.objects.get(pk=channel.pk))

    channel = Channel.objects.get(pk=channel.pk)
    assert channel.settings["refused_verbs"] == []
    assert "delete" in moderation_for(channel)


def test_unreadable_rights_keep_every_button_and_still_connect(bot_api, workspace_a) -> None:  # type: ignore[no-untyped-def]
    answer_as(bot_api, recorded("chatMember_admin_channel.json"))
    channel = connected(bot_api, workspace_a)
    answer_as(bot_api, "not a chat member")

    assert services.account_rights(services.connection_for(channel)) == {}
