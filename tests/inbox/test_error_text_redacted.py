"""A server that echoes the bot token's URL never puts the token on a page (invariant 4).

The issue: a proxy in front of the Bot API answered getUpdates with an Apache-style 404 page that
quotes the requested URL, ``/bot<token>/getUpdates``, and that page became the channel's last
error, shown to every member. The page below is Apache's own 404 layout (2.4, Ubuntu); the path in
it is the one the connector really requested from the loopback server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chorus.channels import services as channels
from chorus.channels.errors import Permanent
from chorus.channels.models import Channel
from chorus.inbox import polling
from chorus.inbox.models import ChannelInbox
from tests.channels.telegram.loopback import Answer, LoopbackApi
from tests.channels.telegram.telegram_bot import TOKEN
from tests.inbox.telegram_support import connect_group, running_bot_api

pytestmark = pytest.mark.django_db
KEY = TOKEN.partition(":")[2]  # the bot's id is public; what follows the colon is its key


@pytest.fixture
def bot_api() -> Iterator[LoopbackApi]:
    yield from running_bot_api()


def apache_404(path: str) -> bytes:
    return (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
        "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
        f"<p>The requested URL {path} was not found on this server.</p>\n<hr>\n"
        "<address>Apache/2.4.7 (Ubuntu) Server at 127.0.0.1 Port 80</address>\n</body></html>\n"
    ).encode()


def test_an_echoed_bot_url_is_redacted_where_the_poll_stores_and_shows_it(
    workspace_a, bot_api, alice_client, bob_client
) -> None:
    channel = connect_group(workspace_a, bot_api)
    bot_api.answer("/getUpdates", Answer(404, apache_404(f"/bot{TOKEN}/getUpdates")))

    outcome = polling.poll_channel(channel)

    assert bot_api.requests_to("/getUpdates")[0].path == f"/bot{TOKEN}/getUpdates"
    assert "getUpdates" in outcome.error  # still says what failed
    stored = [outcome.error, ChannelInbox.objects.get(channel=channel).last_error]
    stored.append(Channel.objects.get(pk=channel.pk).last_error)
    for page in (alice_client, bob_client):
        stored.append(page.get(f"/channels/{channel.pk}/").content.decode())
    assert all(KEY not in text for text in stored)


def test_the_channels_own_token_goes_whatever_its_shape(workspace_a, bot_api) -> None:
    channel = connect_group(workspace_a, bot_api, token="777:opaque")
    channels.refresh_credentials(channel, {"session": "any-shape-secret-value"})

    channels.record_error(channel, Permanent("Refused: any-shape-secret-value is unknown."))
    channels.mark_needs_reconnect(channel, "Session any-shape-secret-value expired.")

    channel.refresh_from_db()
    assert "any-shape-secret-value" not in channel.last_error
    assert "[redacted]" in channel.last_error


def test_error_text_stored_before_redaction_is_not_shown(
    workspace_a, bot_api, alice_client
) -> None:
    channel = connect_group(workspace_a, bot_api)
    Channel.objects.filter(pk=channel.pk).update(
        last_error=f"Telegram refused the request: HTTP 404: /bot{TOKEN}/getUpdates",
        status="needs_reconnect",
    )

    for url in (f"/channels/{channel.pk}/", "/channels/", "/today/"):
        html = alice_client.get(url).content.decode()
        assert KEY not in html, url
        if url != "/channels/":  # the pages that show the last error say what failed
            assert "/bot[redacted]/getUpdates" in html, url
