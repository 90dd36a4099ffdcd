"""Telegram's one figure: the chat's member count (getChatMemberCount), and no post figures.

No public recording of a getChatMemberCount answer was found: the stand-in answers the Bot
API's documented shape ``{"ok": true, "result": <Integer>}``, the same envelope as the
recorded answers beside it."""

from __future__ import annotations

import pytest

from chorus.channels.errors import Permanent
from chorus.channels.metrics import collect_metrics
from chorus.channels.models import Channel
from chorus.channels.networks.telegram.network import Telegram, TelegramConnection
from chorus.workspaces.models import Workspace
from tests.channels.telegram.loopback import Answer, LoopbackApi
from tests.channels.telegram.telegram_bot import CHANNEL, TOKEN, ok


def test_the_member_count_is_read_for_the_chat(
    bot_api: LoopbackApi, telegram: TelegramConnection
) -> None:
    bot_api.answer("/getChatMemberCount", ok(1843))

    assert telegram.audience() == {"members": 1843}
    assert bot_api.requests_to("/getChatMemberCount")[0].json() == {"chat_id": str(CHANNEL)}


def test_an_unreadable_count_is_an_error_not_zero(
    bot_api: LoopbackApi, telegram: TelegramConnection
) -> None:
    bot_api.answer("/getChatMemberCount", ok("many"))

    with pytest.raises(Permanent, match="members"):
        telegram.audience()


def test_telegram_declares_members_and_no_post_figures() -> None:
    assert Telegram.account_metrics == {"members"}
    assert Telegram.post_metrics == frozenset()


def test_collect_metrics_reads_members_and_no_posts(
    bot_api: LoopbackApi, workspace_a: Workspace
) -> None:
    bot_api.answer("/getChatMemberCount", ok(57))
    channel = Channel(workspace=workspace_a, network="telegram", name="T", remote_id=str(CHANNEL))
    channel.credentials = {"bot_token": TOKEN}
    channel.settings = {"chat_id": str(CHANNEL), "api_root": bot_api.url}
    channel.save()

    reading = collect_metrics(channel, [f"{CHANNEL}:21"])

    assert reading.account == {"members": 57}
    assert reading.posts == {} and reading.missing == []
    assert [seen.path.rsplit("/", 1)[-1] for seen in bot_api.seen] == ["getChatMemberCount"]


def test_a_refused_count_is_noted_on_the_channel(
    bot_api: LoopbackApi, workspace_a: Workspace
) -> None:
    bot_api.answer(
        "/getChatMemberCount",
        Answer(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
    )
    channel = Channel(workspace=workspace_a, network="telegram", name="T", remote_id=str(CHANNEL))
    channel.credentials = {"bot_token": TOKEN}
    channel.settings = {"chat_id": str(CHANNEL), "api_root": bot_api.url}
    channel.save()

    with pytest.raises(Permanent):
        collect_metrics(channel)

    channel.refresh_from_db()
    assert channel.last_error_at is not None and channel.last_error
