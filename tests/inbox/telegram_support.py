"""A Telegram group channel of workspace A, connected through the real connector to the loopback
Bot API of tests/channels/telegram (recorded bodies, see its recordings/SOURCE.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace
from tests.channels.telegram.loopback import Answer, LoopbackApi
from tests.channels.telegram.telegram_bot import TOKEN, ok, recorded

GROUP = -1001283156137  # the recorded supergroup "TestSendCoin"
BASE = "https://chorus.example.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# getChat and getChatMember as the Bot API documents them (nothing recorded: SOURCE.md).
CHAT = {"id": GROUP, "title": "TestSendCoin", "type": "supergroup"}
ADMIN = {
    "status": "administrator",
    "can_delete_messages": True,
    "can_restrict_members": True,
    "user": recorded("getMe.json")["result"],
}


def answer(name: str) -> Answer:
    """A recorded body, served with the status Telegram gave it."""
    body = recorded(name)
    return Answer(200 if body["ok"] else body["error_code"], body)


def answer_whoami(bot_api: LoopbackApi) -> None:
    bot_api.answer("/getMe", ok(recorded("getMe.json")["result"]))
    bot_api.answer("/getChat", ok(CHAT))
    bot_api.answer("/getChatMember", ok(ADMIN))


def connect_group(workspace: Workspace, bot_api: LoopbackApi, token: str = TOKEN) -> Channel:
    answer_whoami(bot_api)
    return channels.connect(
        workspace,
        "telegram",
        {"bot_token": token},
        {"chat_id": str(GROUP), "api_root": bot_api.url},
    )


def group_update(number: int) -> dict[str, Any]:
    return dict(recorded("getUpdates_group.json")["result"][number])


def delivery(number: int) -> bytes:
    return json.dumps(group_update(number)).encode()


def running_bot_api() -> Iterator[LoopbackApi]:
    """For a module's ``bot_api`` fixture (imported fixtures clash with ruff's F811)."""
    api = LoopbackApi()
    try:
        yield api
    finally:
        api.close()
