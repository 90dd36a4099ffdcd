"""A Threads token lasts 60 days: renewed (``th_refresh_token``) before it lapses, and stored
through the channel's lifecycle (``call_network`` keeps rotated credentials).

The refresh answer is the recorded long-lived token body
(``base/threads_user_long_lived_token.json``), the documented shape of both
``th_exchange_token`` and ``th_refresh_token``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chorus.channels.errors import AuthExpired
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.policy import call_network
from tests.channels.meta.recordings import recorded
from tests.channels.threads.conftest import ME, V, in_days
from tests.channels.threads.conftest import graph_error as error_body
from tests.loopback import Reply

RENEWED = recorded("base/threads_user_long_lived_token.json")


def _stored(channel: Channel) -> dict:  # type: ignore[type-arg]
    return Channel.objects.get(pk=channel.pk).credentials


def test_a_token_with_less_than_30_days_left_is_renewed_and_stored(meta, threads_channel) -> None:
    threads_channel.credentials = {**threads_channel.credentials, "expires_at": in_days(10)}
    threads_channel.save()
    meta.on("GET", "/refresh_access_token", Reply(200, RENEWED))

    account = call_network(threads_channel, lambda c: c.whoami())

    assert account.handle == "@chorus.cafe"
    assert meta.requests("/refresh_access_token")[0].query["grant_type"] == "th_refresh_token"
    assert meta.requests("/refresh_access_token")[0].query["access_token"] == "TH-long-1"
    assert meta.requests(f"{V}/me")[0].query["access_token"] == "THQVJ..."  # the new one
    stored = _stored(threads_channel)
    assert stored["access_token"] == "THQVJ..."
    expires_at = datetime.fromisoformat(stored["expires_at"])
    assert expires_at > datetime.now(UTC) + timedelta(days=59)


def test_a_fresh_token_is_left_alone(meta, threads_channel) -> None:
    call_network(threads_channel, lambda c: c.whoami())

    assert not meta.requests("/refresh_access_token")
    assert _stored(threads_channel)["access_token"] == "TH-long-1"


def test_a_failed_renewal_keeps_the_token_that_still_works(meta, threads_channel) -> None:
    threads_channel.credentials = {**threads_channel.credentials, "expires_at": in_days(10)}
    threads_channel.save()
    meta.on("GET", "/refresh_access_token", Reply(500, "busy"))

    call_network(threads_channel, lambda c: c.whoami())

    assert meta.requests(f"{V}/me")[0].query["access_token"] == "TH-long-1"
    assert _stored(threads_channel)["access_token"] == "TH-long-1"


def test_a_refused_token_is_renewed_once_then_the_call_goes_through(meta, threads_channel) -> None:
    meta.on(
        "GET",
        f"{V}/me",
        Reply(400, error_body(190, "Error validating access token")),
        Reply(200, ME),
    )
    meta.on("GET", "/refresh_access_token", Reply(200, RENEWED))

    call_network(threads_channel, lambda c: c.whoami())

    assert len(meta.requests("/refresh_access_token")) == 1
    assert _stored(threads_channel)["access_token"] == "THQVJ..."
    assert Channel.objects.get(pk=threads_channel.pk).status == ChannelStatus.ACTIVE


def test_a_lapsed_token_asks_for_reconnecting(meta, threads_channel) -> None:
    meta.on("GET", f"{V}/me", Reply(400, error_body(190, "Session has expired")))
    meta.on("GET", "/refresh_access_token", Reply(400, error_body(190, "Session has expired")))

    with pytest.raises(AuthExpired):
        call_network(threads_channel, lambda c: c.whoami())

    channel = Channel.objects.get(pk=threads_channel.pk)
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert channel.credentials["access_token"] == "TH-long-1"  # never overwritten with nothing
