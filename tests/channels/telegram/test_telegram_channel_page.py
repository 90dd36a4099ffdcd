"""The webhook section of a Telegram channel's page: what Telegram said (escaped), the buttons for
those who manage channels, an explanation and no button where Chorus cannot take webhooks."""

from __future__ import annotations

import pytest

from chorus.channels.models import Channel
from chorus.channels.networks.telegram import webhook_setup
from tests.inbox.telegram_support import BASE, answer, connect_group

START = 'value="start"'
STOP = 'value="stop"'


@pytest.fixture
def group(workspace_a, bot_api) -> Channel:
    return connect_group(workspace_a, bot_api)


@pytest.fixture
def https_base(settings) -> str:
    settings.CHORUS_BASE_URL = BASE
    return BASE


def page_of(client, channel: Channel) -> str:
    shown = client.get(f"/channels/{channel.pk}/")
    assert shown.status_code == 200
    return shown.content.decode()


def test_on_https_alice_is_offered_the_webhook(https_base, alice_client, group) -> None:
    html = page_of(alice_client, group)

    assert "New messages from Telegram" in html and "By polling" in html
    assert START in html and STOP not in html


def test_alice_turns_it_on_and_sees_what_telegram_says(
    https_base, bot_api, alice_client, group
) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    failing = answer("getWebhookInfo_failing.json")
    # The recorded answer, with markup in Telegram's error text to show it is escaped.
    failing.body["result"]["last_error_message"] += " <script>alert(1)</script>"
    failing.body["result"]["url"] = webhook_setup.webhook_url(group)
    bot_api.answer("/getWebhookInfo", failing)

    done = alice_client.post(
        f"/channels/{group.pk}/telegram-webhook/", {"action": "start"}, follow=True
    )

    html = done.content.decode()
    group.refresh_from_db()
    assert webhook_setup.receives_by_webhook(group)
    assert "By webhook" in html and STOP in html and START not in html
    assert "3 updates" in html
    assert "405 Method Not Allowed &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    # The address is shown without the channel's URL token.
    assert f"{BASE}/inbox/webhooks/{group.pk}/…/" in html
    assert group.credentials["webhook_token"] not in html


def test_a_webhook_registered_elsewhere_is_pointed_out(
    https_base, bot_api, alice_client, group
) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_ok.json"))
    bot_api.answer("/getWebhookInfo", answer("getWebhookInfo_failing.json"))  # google.com
    webhook_setup.start_webhook(group)

    html = page_of(alice_client, group)

    assert "to another address, not to this Chorus" in html
    assert START in html and STOP in html  # register ours again, or stop


def test_a_refusal_is_shown_and_nothing_changes(https_base, bot_api, alice_client, group) -> None:
    bot_api.answer("/setWebhook", answer("setWebhook_bad_port.json"))

    done = alice_client.post(
        f"/channels/{group.pk}/telegram-webhook/", {"action": "start"}, follow=True
    )

    assert "ports 80, 88, 443 or 8443" in done.content.decode()
    group.refresh_from_db()
    assert not webhook_setup.receives_by_webhook(group)


def test_on_plain_http_the_page_explains_and_offers_no_button(alice_client, group) -> None:
    html = page_of(alice_client, group)

    assert "is not https" in html and "By polling" in html
    assert START not in html and 'value="check"' not in html


def test_bob_sees_the_section_but_cannot_act(https_base, bob_client, bot_api, group) -> None:
    html = page_of(bob_client, group)

    assert "New messages from Telegram" in html and START not in html
    refused = bob_client.post(f"/channels/{group.pk}/telegram-webhook/", {"action": "start"})
    assert refused.status_code == 403
    assert bot_api.requests_to("/setWebhook") == []


def test_charlie_cannot_reach_another_workspaces_channel(
    https_base, charlie_client, bot_api, group
) -> None:
    refused = charlie_client.post(f"/channels/{group.pk}/telegram-webhook/", {"action": "start"})

    assert refused.status_code == 404
    assert bot_api.requests_to("/setWebhook") == []


def test_other_networks_have_no_such_section_nor_address(alice_client, workspace_a) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Brand A on Mastodon", remote_id="1"
    )

    assert "New messages from Telegram" not in page_of(alice_client, channel)
    refused = alice_client.post(f"/channels/{channel.pk}/telegram-webhook/", {"action": "start"})
    assert refused.status_code == 404
