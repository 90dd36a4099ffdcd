"""A Telegram channel's inbox by webhook: registered at connect when Chorus is on https, checked
instead of polled while set, back to polling on request or when it disappears, and explained
(with no button) when Chorus's address cannot take webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.channels.models import Channel
from chorus.channels.networks.telegram import webhook_setup
from chorus.channels.networks.telegram.webhook_setup import WebhookProblem
from chorus.inbox import polling
from chorus.inbox.models import ChannelInbox, Message
from tests.channels.telegram import telegram_bot
from tests.channels.telegram.loopback import LoopbackApi
from tests.channels.telegram.telegram_bot import TOKEN, ok
from tests.inbox.telegram_support import (
    BASE,
    GROUP,
    SECRET_HEADER,
    answer,
    answer_whoami,
    connect_group,
    delivery,
    running_bot_api,
)


@pytest.fixture
def bot_api() -> Iterator[LoopbackApi]:
    yield from running_bot_api()


@pytest.fixture
def https_base(settings) -> str:
    settings.CHORUS_BASE_URL = BASE
    return BASE


@pytest.fixture
def group(workspace_a, bot_api) -> Channel:
    return connect_group(workspace_a, bot_api)


def set_up(bot_api, channel: Channel, info: str = "getWebhookInfo_set.json") -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    bot_api.answer("/getWebhookInfo", answer(info))
    webhook_setup.start_webhook(channel)
    channel.refresh_from_db()


def test_setting_up_registers_this_channels_address_and_secret(https_base, bot_api, group) -> None:
    set_up(bot_api, group)

    [sent] = bot_api.requests_to("/setWebhook")
    credentials = group.credentials
    assert sent.json() == {
        "url": f"{BASE}/inbox/webhooks/{group.pk}/{credentials['webhook_token']}/",
        "secret_token": credentials["webhook_secret"],
        "allowed_updates": ["message", "channel_post"],
        "drop_pending_updates": False,
    }
    assert webhook_setup.receives_by_webhook(group)
    assert group.settings["telegram_webhook"]["info"]["pending_update_count"] == 0


def test_connecting_on_https_sets_the_webhook_up(
    https_base, bot_api, alice_client, monkeypatch
) -> None:
    # The connect form has no API address field: point the connector's default at the loopback.
    monkeypatch.setattr("chorus.channels.networks.telegram.api.API_ROOT", bot_api.url)
    answer_whoami(bot_api)
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    bot_api.answer("/getWebhookInfo", answer("getWebhookInfo_set.json"))

    page = alice_client.post(
        "/channels/connect/telegram/",
        {"bot_token": TOKEN, "chat_id": str(GROUP), "name": "Group"},
        follow=True,
    )

    channel = Channel.objects.get(network="telegram", remote_id=str(GROUP))
    assert webhook_setup.receives_by_webhook(channel)
    assert len(bot_api.requests_to("/setWebhook")) == 1
    assert "as they are written (webhook)" in page.content.decode()


def test_a_reconnect_registers_it_again(https_base, bot_api, group) -> None:
    set_up(bot_api, group)
    answer_whoami(bot_api)

    again = connect_group(group.workspace, bot_api)
    webhook_setup.after_connect(again)

    assert again.pk == group.pk
    urls = {seen.json()["url"] for seen in bot_api.requests_to("/setWebhook")}
    assert len(bot_api.requests_to("/setWebhook")) == 2 and len(urls) == 1  # same address


def test_a_delivery_lands_in_the_inbox_and_another_chats_does_not(
    https_base, bot_api, group
) -> None:
    set_up(bot_api, group)
    url = f"/inbox/webhooks/{group.pk}/{group.credentials['webhook_token']}/"
    signed = {SECRET_HEADER: group.credentials["webhook_secret"]}

    ours = Client().post(url, delivery(7), content_type="application/json", headers=signed)
    other_group = Client().post(url, delivery(1), content_type="application/json", headers=signed)
    forged = Client().post(url, delivery(8), content_type="application/json")

    assert (ours.status_code, other_group.status_code, forged.status_code) == (200, 200, 403)
    texts = list(Message.objects.filter(channel=group).values_list("text", flat=True))
    assert texts == ["Оп"]  # the basic group's "/test" is another chat's; the forgery is refused


def test_while_the_webhook_is_set_polling_checks_it_instead_of_calling_get_updates(
    https_base, bot_api, group
) -> None:
    set_up(bot_api, group, info="getWebhookInfo_failing.json")
    before = timezone.now()

    polling.poll_channel(group)

    assert bot_api.requests_to("/getUpdates") == []
    assert len(bot_api.requests_to("/getWebhookInfo")) == 2  # at setup, then instead of polling
    state = ChannelInbox.objects.get(channel=group)
    assert state.next_poll_at >= before + webhook_setup.CHECK_EVERY
    group.refresh_from_db()
    info = group.settings["telegram_webhook"]["info"]
    assert (info["pending_update_count"], info["last_error_message"]) == (
        3,
        "Wrong response from the webhook: 405 Method Not Allowed",
    )


def test_the_poller_skips_it_even_from_check_now(https_base, bot_api, group) -> None:
    set_up(bot_api, group)

    assert polling.poll_channel_now(group) is True  # runs inline in tests

    assert bot_api.requests_to("/getUpdates") == []


def test_a_webhook_removed_outside_chorus_brings_polling_back(https_base, bot_api, group) -> None:
    set_up(bot_api, group)
    bot_api.answers["/getWebhookInfo"] = [answer("getWebhookInfo_none.json")]
    bot_api.answer("/getUpdates", ok(telegram_bot.recorded("getUpdates_group.json")["result"]))

    polling.poll_channel(group)  # finds the webhook gone
    group.refresh_from_db()
    assert not webhook_setup.receives_by_webhook(group)
    assert group.settings["telegram_webhook"]["removed_elsewhere"] is True
    assert ChannelInbox.objects.get(channel=group).next_poll_at <= timezone.now()

    polling.poll_channel(group)

    assert "offset" not in bot_api.requests_to("/getUpdates")[0].json()  # from where it was
    assert Message.objects.filter(channel=group).count() == 6


def test_our_address_found_registered_while_polling_stops_polling(
    https_base, bot_api, group
) -> None:
    """A setWebhook whose answer was lost may have worked: the check sees our own address."""
    url = webhook_setup.webhook_url(group)
    registered = answer("getWebhookInfo_set.json")
    registered.body = {**registered.body, "result": {**registered.body["result"], "url": url}}
    bot_api.answer("/getWebhookInfo", registered)

    webhook_setup.check_webhook(group)

    assert webhook_setup.receives_by_webhook(group)


def test_back_to_polling_removes_the_webhook_and_polls_at_once(https_base, bot_api, group) -> None:
    set_up(bot_api, group)
    polling.poll_channel(group)  # the check: next look in a quarter of an hour
    bot_api.answer("/deleteWebhook", answer("deleteWebhook_ok.json"))

    webhook_setup.stop_webhook(group)

    assert bot_api.requests_to("/deleteWebhook")[0].json() == {"drop_pending_updates": False}
    assert not webhook_setup.receives_by_webhook(group)
    assert ChannelInbox.objects.get(channel=group).next_poll_at <= timezone.now()


def test_a_poll_refused_because_a_webhook_is_active_is_written_down_not_repeated(
    bot_api, group
) -> None:
    bot_api.answer("/getUpdates", answer("error_409_webhook_active.json"))
    before = timezone.now()

    outcome = polling.poll_channel(group)

    assert "sends this bot's messages to a webhook" in outcome.error
    assert len(bot_api.requests_to("/getUpdates")) == 1
    state = ChannelInbox.objects.get(channel=group)
    assert "Receive by webhook" in state.last_error
    assert state.next_poll_at >= before + timedelta(hours=1)


def test_a_refused_address_keeps_polling_and_says_why(https_base, bot_api, group) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_unknown_host.json"))

    with pytest.raises(WebhookProblem, match="Name or service not known"):
        webhook_setup.start_webhook(group)

    group.refresh_from_db()
    assert not webhook_setup.receives_by_webhook(group)
    said = webhook_setup.after_connect(group)
    assert "fetched every few minutes" in said


@pytest.mark.parametrize(
    ("base", "words"),
    [("http://chorus.example.org", "is not https"), ("https://chorus.example.org:8080", "8080")],
)
def test_an_address_telegram_cannot_deliver_to_means_polling(
    settings, bot_api, group, base, words
) -> None:
    settings.CHORUS_BASE_URL = base

    assert webhook_setup.after_connect(group) == ""
    with pytest.raises(WebhookProblem, match=words):
        webhook_setup.start_webhook(group)
    assert bot_api.requests_to("/setWebhook") == []
    assert words in webhook_setup.webhook_panel(group)["why_not"]


def test_a_bot_shared_by_two_channels_keeps_polling(
    https_base, bot_api, group, workspace_c
) -> None:
    other = Channel(workspace=workspace_c, network="telegram", remote_id="-100999", name="Other")
    other.credentials = {"bot_token": TOKEN}  # the same bot, in another workspace
    other.save()

    with pytest.raises(WebhookProblem, match="same bot"):
        webhook_setup.start_webhook(group)
    assert bot_api.requests_to("/setWebhook") == []


def test_disconnecting_removes_the_webhook_while_the_token_is_known(
    https_base, bot_api, group, alice_client
) -> None:
    set_up(bot_api, group)
    bot_api.answer("/deleteWebhook", answer("deleteWebhook_ok.json"))

    alice_client.post(f"/channels/{group.pk}/disconnect/")

    assert len(bot_api.requests_to("/deleteWebhook")) == 1
    group.refresh_from_db()
    assert not webhook_setup.receives_by_webhook(group)


def test_a_failed_check_keeps_the_webhook_and_shows_on_the_channels_health(
    https_base, bot_api, group
) -> None:
    set_up(bot_api, group)
    bot_api.answers["/getWebhookInfo"] = [answer("error_401.json")]

    polling.poll_channel(group)

    group.refresh_from_db()
    assert webhook_setup.receives_by_webhook(group)  # one failed look is no reason to poll
    assert "refused the bot token" in group.settings["telegram_webhook"]["check_error"]
    assert "refused the bot token" in group.last_error
    assert bot_api.requests_to("/getUpdates") == []


def test_set_but_unreadable_info_still_stops_polling(https_base, bot_api, group) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    bot_api.answer("/getWebhookInfo", answer("error_502.json"))

    webhook_setup.start_webhook(group)

    group.refresh_from_db()
    assert webhook_setup.receives_by_webhook(group)
    assert group.settings["telegram_webhook"]["check_error"]
