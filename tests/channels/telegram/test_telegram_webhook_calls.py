"""setWebhook, deleteWebhook and getWebhookInfo as the connector sends and reads them, and the
409 Telegram answers to getUpdates while a webhook is set (all bodies recorded, see SOURCE.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chorus.channels.errors import Permanent
from tests.channels.telegram.loopback import Answer
from tests.channels.telegram.telegram_bot import TOKEN, recorded

URL = "https://chorus.example.org/inbox/webhooks/7/t0k/"
SECRET = "Zm9v-bar_baz0123456789"


def answer(name: str) -> Answer:
    body = recorded(name)
    return Answer(200 if body["ok"] else body["error_code"], body)


def test_set_webhook_asks_for_what_the_inbox_reads_and_keeps_pending_updates(
    bot_api, telegram
) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))

    telegram.set_webhook(URL, SECRET)

    [sent] = bot_api.requests_to("/setWebhook")
    assert sent.path == f"/bot{TOKEN}/setWebhook"
    assert sent.json() == {
        "url": URL,
        "secret_token": SECRET,
        "allowed_updates": ["message", "channel_post"],
        "drop_pending_updates": False,
    }


@pytest.mark.parametrize("url", ["http://chorus.example.org/hook/", "ftp://x/"])
def test_an_address_that_is_not_https_is_refused_before_asking(bot_api, telegram, url) -> None:
    with pytest.raises(Permanent, match="https"):
        telegram.set_webhook(url, SECRET)
    assert bot_api.requests_to("/setWebhook") == []


def test_a_secret_telegram_would_refuse_is_refused_before_asking(bot_api, telegram) -> None:
    with pytest.raises(Permanent, match="secret"):
        telegram.set_webhook(URL, "has spaces and é")
    assert bot_api.requests_to("/setWebhook") == []


@pytest.mark.parametrize(
    ("recording", "words"),
    [
        ("setWebhook_bad_port.json", "ports 80, 88, 443 or 8443"),
        ("setWebhook_unknown_host.json", "Name or service not known"),
    ],
)
def test_a_refused_address_is_explained(bot_api, telegram, recording, words) -> None:
    bot_api.answer("/setWebhook", answer(recording))

    with pytest.raises(Permanent) as refused:
        telegram.set_webhook(URL, SECRET)

    assert "webhook address" in refused.value.message
    assert "public https address on port 443, 80, 88 or 8443" in refused.value.message
    assert words in refused.value.message


def test_delete_webhook_keeps_the_pending_updates(bot_api, telegram) -> None:
    bot_api.answer("/deleteWebhook", answer("deleteWebhook_ok.json"))

    telegram.delete_webhook()

    assert bot_api.requests_to("/deleteWebhook")[0].json() == {"drop_pending_updates": False}


def test_webhook_info_of_a_failing_webhook(bot_api, telegram) -> None:
    bot_api.answer("/getWebhookInfo", answer("getWebhookInfo_failing.json"))

    info = telegram.webhook_info()

    assert info.url == "https://google.com"
    assert info.pending_update_count == 3
    assert info.last_error_at == datetime(2022, 6, 25, 17, 11, 14, tzinfo=UTC)
    assert info.last_error_message == "Wrong response from the webhook: 405 Method Not Allowed"
    assert info.as_json()["last_error_at"] == "2022-06-25T17:11:14+00:00"


def test_webhook_info_without_errors_or_without_webhook(bot_api, telegram) -> None:
    bot_api.answer(
        "/getWebhookInfo", answer("getWebhookInfo_set.json"), answer("getWebhookInfo_none.json")
    )

    working, unset = telegram.webhook_info(), telegram.webhook_info()

    assert (working.url, working.last_error_at, working.last_error_message) == (
        "https://4f1e235627e0.ngrok.io/webhook",
        None,
        "",
    )
    assert (unset.url, unset.pending_update_count) == ("", 0)


def test_polling_while_a_webhook_is_set_is_explained_not_retried(bot_api, telegram) -> None:
    bot_api.answer("/getUpdates", answer("error_409_webhook_active.json"))

    with pytest.raises(Permanent) as refused:
        telegram.fetch_inbox("")

    assert "sends this bot's messages to a webhook" in refused.value.message
    assert "Receive by webhook" in refused.value.message
    assert "409" in refused.value.detail


def test_another_program_polling_the_same_bot_is_explained(bot_api, telegram) -> None:
    bot_api.answer("/getUpdates", answer("error_409_terminated.json"))

    with pytest.raises(Permanent, match="Another program is reading this bot's messages"):
        telegram.fetch_inbox("")
