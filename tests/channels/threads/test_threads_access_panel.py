"""The Threads channel's page says how long its access lasts, and warns when renewal is late."""

from __future__ import annotations

from tests.channels.threads.conftest import in_days


def _page(client, channel) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(f"/channels/{channel.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_fresh_access_says_it_is_renewed_automatically(alice_client, threads_channel) -> None:
    page = _page(alice_client, threads_channel)

    assert "Access to Threads" in page and "Renewed automatically" in page
    assert "days left" in page


def test_an_access_renewal_late_asks_to_reconnect_before_it_lapses(
    alice_client, threads_channel
) -> None:
    threads_channel.credentials = {**threads_channel.credentials, "expires_at": in_days(3)}
    threads_channel.save()

    page = _page(alice_client, threads_channel)

    assert "Lapses soon" in page and "Reconnect the channel before" in page


def test_a_lapsed_access_says_so(alice_client, threads_channel) -> None:
    threads_channel.credentials = {**threads_channel.credentials, "expires_at": in_days(-1)}
    threads_channel.save()

    assert "no longer accepts this channel" in _page(alice_client, threads_channel)


def test_an_outsider_never_sees_the_channel(charlie_client, threads_channel) -> None:
    assert charlie_client.get(f"/channels/{threads_channel.pk}/").status_code == 404
