"""One network-call policy: refresh once on AuthExpired, note the error, decide from one table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chorus.channels import policy, services
from chorus.channels.base import Capability, Connection, Limits, Network
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient, Unconfirmed
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.policy import Decision, decide
from chorus.channels.registry import NETWORKS, get_network


class _RefreshingConnection(Connection):
    def refreshed_credentials(self) -> dict[str, Any] | None:
        return {"access_token": "fresh"}


class _Refreshing(Network):
    key = "refreshing"
    label = "Refreshing"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=10)
    connection_class = _RefreshingConnection


@pytest.fixture(autouse=True)
def _network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(NETWORKS, "refreshing", f"{__name__}._Refreshing")
    get_network.cache_clear()
    yield
    get_network.cache_clear()


@pytest.fixture
def channel(workspace_a) -> Channel:
    channel = Channel(workspace=workspace_a, network="refreshing", name="R", remote_id="1")
    channel.credentials = {"access_token": "stale"}
    channel.save()
    return channel


def test_refused_credentials_are_refreshed_once_then_the_call_is_made_again(channel) -> None:
    tokens: list[str] = []

    def act(connection: Connection) -> str:
        tokens.append(connection.credentials["access_token"])
        if connection.credentials["access_token"] == "stale":
            raise AuthExpired("Token expired.")
        return "done"

    assert policy.call_network(channel, act) == "done"
    assert tokens == ["stale", "fresh"]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE


def test_refused_again_after_a_refresh_the_channel_needs_a_person(channel, alice) -> None:
    def act(connection: Connection) -> None:
        raise AuthExpired("Token revoked.")

    with pytest.raises(AuthExpired):
        policy.call_network(channel, act)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert channel.last_error == "Token revoked."


def test_check_connection_refused_twice_asks_for_a_reconnect(channel, alice) -> None:
    """check_connection goes through the policy like every other caller."""

    def whoami(self: Connection) -> Any:
        raise AuthExpired("Token revoked.")

    _RefreshingConnection.whoami = whoami  # type: ignore[method-assign]
    try:
        with pytest.raises(AuthExpired):
            services.check_connection(channel)
    finally:
        del _RefreshingConnection.whoami
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT


def test_other_errors_are_noted_on_the_channel_and_raised(channel) -> None:
    def act(connection: Connection) -> None:
        raise RateLimited("Slow down.", retry_after=90)

    with pytest.raises(RateLimited):
        policy.call_network(channel, act)
    channel.refresh_from_db()
    assert channel.is_waiting_for_rate_limit and channel.last_error == "Slow down."


def test_one_table_decides() -> None:
    assert decide(Transient("x"), 1) == policy.Verdict(Decision.RETRY, 2.0)
    assert decide(Transient("x"), 3).wait == float(policy.BACKOFF_SECONDS[2])
    assert decide(Transient("x"), 99, max_attempts=5).decision == Decision.FAIL
    assert decide(RateLimited("x", retry_after=42), 1) == policy.Verdict(Decision.WAIT, 42.0)
    assert decide(Permanent("x"), 1).decision == Decision.FAIL
    assert decide(AuthExpired("x"), 1).decision == Decision.RECONNECT
    assert decide(Unconfirmed("x"), 1).decision == Decision.UNCONFIRMED
    assert decide(Unconfirmed("x"), 1, repeatable=True).decision == Decision.RETRY
