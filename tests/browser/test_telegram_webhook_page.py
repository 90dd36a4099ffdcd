"""In a real browser: on a Telegram channel's page, a person switches new messages to a webhook,
reads what Telegram says about it (its error text shown as text), and goes back to polling.

Telegram is the loopback Bot API replaying recorded answers (tests/channels/telegram/recordings).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chorus.channels.models import Channel
from chorus.channels.networks.telegram import webhook_setup
from tests.browser.conftest import shot, sign_in
from tests.channels.telegram.loopback import LoopbackApi
from tests.channels.telegram.telegram_bot import ok
from tests.inbox.telegram_support import BASE, answer, connect_group, running_bot_api

pytestmark = pytest.mark.browser


@pytest.fixture
def bot_api() -> Iterator[LoopbackApi]:
    yield from running_bot_api()


def test_switch_to_webhook_and_back(page, settings, alice, workspace_a, bot_api) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_BASE_URL = BASE
    group: Channel = connect_group(workspace_a, bot_api)
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    failing = answer("getWebhookInfo_failing.json")
    failing.body["result"]["url"] = webhook_setup.webhook_url(group)
    failing.body["result"]["last_error_message"] += " <img src=x onerror=alert(1)>"
    bot_api.answer("/getWebhookInfo", failing)
    bot_api.answer("/deleteWebhook", answer("deleteWebhook_ok.json"))
    sign_in(page, alice)

    page.goto(f"{page.base}/channels/{group.pk}/")
    section = page.locator("#telegram-webhook")
    assert "By polling" in section.inner_text()
    section.get_by_role("button", name="Receive by webhook").click()

    section = page.locator("#telegram-webhook")
    text = section.inner_text()
    assert "By webhook" in text and "3 updates" in text
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, never as markup
    assert page.locator("#telegram-webhook img").count() == 0
    shot(page, "telegram-webhook")

    bot_api.answer("/getUpdates", ok([]))
    section.get_by_role("button", name="Back to polling").click()
    assert "By polling" in page.locator("#telegram-webhook").inner_text()
    group.refresh_from_db()
    assert not webhook_setup.receives_by_webhook(group)
