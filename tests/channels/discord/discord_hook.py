"""A Discord webhook connection pointed at the loopback server, and the recorded bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chorus.channels.networks.discord.network import Discord, DiscordConnection
from chorus.core import http as chorus_http
from tests.channels.telegram.loopback import Answer, LoopbackApi

RECORDINGS = Path(__file__).parent / "recordings"
HOOK_ID = "223704706495545344"
HOOK_TOKEN = (  # the token of the recorded webhook (Discord's docs)
    "3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11"
)
WEBHOOK_URL = f"https://discord.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}"
HOOK_PATH = f"/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}"


def recorded(name: str) -> Any:
    return json.loads((RECORDINGS / name).read_text(encoding="utf-8"))


def connect(api: LoopbackApi, timeout: float = 5.0, **settings: str) -> DiscordConnection:
    api.answer(HOOK_PATH, Answer(200, recorded("webhook.json")))
    connection = Discord.connect(
        {"webhook_url": WEBHOOK_URL},
        {"api_root": api.url, **settings},
        http=chorus_http.client(timeout=timeout),
    )
    assert isinstance(connection, DiscordConnection)
    return connection


def posts(api: LoopbackApi) -> list[Any]:
    return [seen for seen in api.requests_to(HOOK_PATH) if seen.method == "POST"]
