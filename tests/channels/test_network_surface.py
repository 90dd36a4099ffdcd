"""A network brings its own surface through the registry: its pages, its section of the channel
page, its steps, its preview; generic code names no network."""

from __future__ import annotations

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse

from chorus.channels.base import Capability, Limits, Network
from chorus.channels.registry import get_network, network_urlpatterns
from chorus.channels.steps import ChannelSteps


def test_telegram_pages_join_the_channels_urls_through_the_registry() -> None:
    names = {pattern.name for pattern in network_urlpatterns()}

    assert "telegram_webhook" in names
    assert reverse("channels:telegram_webhook", args=[7]) == "/channels/7/telegram-webhook/"


def test_a_network_without_steps_does_nothing() -> None:
    class Plain(Network):
        key = "plain"
        label = "Plain"
        capabilities = frozenset({Capability.PUBLISH})
        limits = Limits(max_chars=10)

    channel = SimpleNamespace(network="plain")
    assert isinstance(Plain.steps, ChannelSteps)
    assert Plain.steps.after_connect(channel) == ""  # type: ignore[arg-type]
    assert Plain.steps.page_section(channel) is None  # type: ignore[arg-type]
    assert Plain.steps.instead_of_polling(channel) is None  # type: ignore[arg-type]


def _preview(network: str) -> str:
    channel = SimpleNamespace(name="Vélo Club", handle="@velo", network=network)
    p = SimpleNamespace(channel=channel, parts=["Bonjour"], options={}, media=[])
    return render_to_string(get_network(network).preview_template, {"p": p})


def test_every_network_brings_its_preview() -> None:
    previews = {key: _preview(key) for key in ("mastodon", "bluesky", "matrix")}

    assert "☆" in previews["mastodon"] and "♡" in previews["bluesky"]
    assert "pv-actions" not in previews["matrix"] and "@velo" in previews["matrix"]


def test_telegram_and_discord_previews_live_in_their_packages() -> None:
    telegram, discord = _preview("telegram"), _preview("discord")

    assert 'class="pv-card pv-telegram"' in telegram and "pv-chat-title" in telegram
    assert 'class="pv-card pv-discord"' in discord and 'class="pv-app"' in discord
    assert "@velo" not in telegram and "@velo" not in discord
    assert "{#" not in telegram + discord
