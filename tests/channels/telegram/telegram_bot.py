"""A Telegram connection pointed at the loopback server, and the recorded bodies it serves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chorus.channels.networks.telegram.network import Telegram, TelegramConnection
from chorus.core import http as chorus_http
from tests.channels.telegram.loopback import Answer, LoopbackApi

RECORDINGS = Path(__file__).parent / "recordings"
TOKEN = "5062246006:AAF-test-token"
CHANNEL = -1001241558182  # the recorded channel "VVV talk"


def recorded(name: str) -> Any:
    import json

    return json.loads((RECORDINGS / name).read_text(encoding="utf-8"))


def ok(result: Any) -> Answer:
    return Answer(200, {"ok": True, "result": result})


def channel_message(message_id: int = 21, **extra: Any) -> dict[str, Any]:
    """The recorded channel post, as sendMessage returns a message (same Message object)."""
    message = dict(recorded("getUpdates_channel.json")["result"][0]["channel_post"])
    message.update(message_id=message_id, **extra)
    return message


@pytest.fixture
def bot_api(loopback: LoopbackApi) -> LoopbackApi:
    return loopback


@pytest.fixture
def telegram(bot_api: LoopbackApi) -> Iterator[TelegramConnection]:
    yield connect(bot_api)


def connect(
    api: LoopbackApi, chat_id: str | int = CHANNEL, timeout: float = 5.0
) -> TelegramConnection:
    http = chorus_http.client(timeout=timeout)
    connection = Telegram.connect(
        {"bot_token": TOKEN}, {"chat_id": str(chat_id), "api_root": api.url}, http=http
    )
    assert isinstance(connection, TelegramConnection)
    return connection
