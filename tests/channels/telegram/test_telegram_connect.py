"""Connecting a bot: the token works, the chat exists and the bot may post there."""

from __future__ import annotations

import pytest

from chorus.channels import services
from chorus.channels.errors import Permanent
from chorus.channels.models import Channel
from chorus.core import http as chorus_http
from tests.channels.telegram.telegram_bot import CHANNEL, TOKEN, connect, ok, recorded

CHAT = {"id": CHANNEL, "title": "VVV talk", "type": "channel", "username": "vvvtalk"}
ADMIN = {"status": "administrator", "can_post_messages": True}  # ChatMemberAdministrator


def test_whoami_names_the_chat_once_the_bot_may_post(bot_api, telegram) -> None:
    bot_api.answer("/getMe", ok(recorded("getMe.json")["result"]))
    bot_api.answer("/getChat", ok(CHAT))
    bot_api.answer("/getChatMember", ok({**ADMIN, "user": recorded("getMe.json")["result"]}))

    account = telegram.whoami()

    assert (account.remote_id, account.handle, account.url) == (
        str(CHANNEL),
        "@vvvtalk",
        "https://t.me/vvvtalk",
    )
    assert bot_api.requests_to("/getChatMember")[0].json() == {
        "chat_id": CHANNEL,
        "user_id": 5062246006,
    }


@pytest.mark.parametrize(
    "member",
    [{"status": "member"}, {"status": "administrator", "can_post_messages": False}],
)
def test_a_bot_that_cannot_post_in_the_channel_is_refused(bot_api, telegram, member) -> None:
    bot_api.answer("/getMe", ok(recorded("getMe.json")["result"]))
    bot_api.answer("/getChat", ok(CHAT))
    bot_api.answer("/getChatMember", ok(member))

    with pytest.raises(Permanent, match="add it as an administrator"):
        telegram.whoami()


def test_connecting_stores_the_channel_in_the_workspace(bot_api, workspace_a) -> None:
    bot_api.answer("/getMe", ok(recorded("getMe.json")["result"]))
    bot_api.answer("/getChat", ok(CHAT))
    bot_api.answer("/getChatMember", ok(ADMIN))
    http = chorus_http.client()

    channel = services.connect(
        workspace_a,
        "telegram",
        {"bot_token": TOKEN},
        {"chat_id": "@vvvtalk", "api_root": bot_api.url},
        http=http,
    )

    stored = Channel.objects.get(pk=channel.pk)
    assert (stored.workspace, stored.remote_id, stored.handle) == (
        workspace_a,
        str(CHANNEL),
        "@vvvtalk",
    )
    assert stored.credentials == {"bot_token": TOKEN}
    assert connect(bot_api).chat_id() == str(CHANNEL)


def test_the_connect_page_asks_for_the_token_and_the_chat(alice_client, bob_client) -> None:
    page = alice_client.get("/channels/connect/telegram/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="bot_token"' in html and 'type="password"' in html
    assert 'name="chat_id"' in html
    assert bob_client.get("/channels/connect/telegram/").status_code == 403


def test_charlie_connects_only_to_his_own_workspace(charlie_client, workspace_a) -> None:
    page = charlie_client.get("/channels/connect/telegram/")

    assert page.status_code == 200
    assert "Brand A" not in page.content.decode()
