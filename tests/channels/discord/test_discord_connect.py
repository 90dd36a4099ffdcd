"""Connecting a webhook: only a real Discord webhook address is taken."""

from __future__ import annotations

import pytest

from chorus.channels import services
from chorus.channels.models import Channel
from chorus.channels.networks.discord.network import Discord
from chorus.core import http as chorus_http
from tests.channels.discord.discord_hook import HOOK_ID, HOOK_PATH, HOOK_TOKEN, recorded
from tests.channels.telegram.loopback import Answer


@pytest.mark.parametrize(
    "url",
    [
        f"https://discord.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}",
        f"https://discordapp.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}/",
        f"https://canary.discord.com/api/v10/webhooks/{HOOK_ID}/{HOOK_TOKEN}",
    ],
)
def test_webhook_addresses_are_recognised(url) -> None:
    assert Discord.check_webhook_url(url) == (HOOK_ID, HOOK_TOKEN)


@pytest.mark.parametrize(
    "url",
    [
        f"http://discord.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}",
        f"https://discord.com.evil.example/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}",
        f"https://evil.example/?https://discord.com/api/webhooks/{HOOK_ID}/{HOOK_TOKEN}",
        "https://discord.com/channels/1/2",
        "",
    ],
)
def test_other_addresses_are_refused(url) -> None:
    with pytest.raises(ValueError, match="not a Discord webhook address"):
        Discord.check_webhook_url(url)


def test_connecting_names_the_webhook(loopback, workspace_a) -> None:
    loopback.answer(HOOK_PATH, Answer(200, recorded("webhook.json")))

    channel = services.connect(
        workspace_a,
        "discord",
        {"webhook_url": f"https://discord.com{HOOK_PATH}"},
        {"api_root": loopback.url},
        http=chorus_http.client(),
    )

    stored = Channel.objects.get(pk=channel.pk)
    assert (stored.workspace, stored.remote_id, stored.name) == (
        workspace_a,
        HOOK_ID,
        "test webhook",
    )


def test_the_connect_page_asks_for_the_webhook_address(alice_client, bob_client) -> None:
    html = alice_client.get("/channels/connect/discord/").content.decode()

    assert 'name="webhook_url"' in html and 'type="password"' in html
    assert 'name="thread_id"' in html and 'name="thread_name"' in html
    assert bob_client.get("/channels/connect/discord/").status_code == 403
