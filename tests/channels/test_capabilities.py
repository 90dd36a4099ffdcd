"""Typed capabilities: what a network declares, its connection really has, and callers get a
value of the capability's type (or None), never a method looked up by name."""

from __future__ import annotations

import pytest

from chorus.channels.base import Capability, Connection, Limits, Network
from chorus.channels.capabilities import (
    CanBan,
    CanDelete,
    CanHide,
    CanReadInbox,
    CanRedact,
    CanUnhide,
    HasPostMetrics,
    ReceivesAppWebhooks,
    ReceivesWebhooks,
    capable,
    offers,
    required,
)
from chorus.channels.errors import Permanent
from chorus.channels.registry import available_networks, get_network


class _Quiet(Network):
    key = "quiet"
    label = "Quiet"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=10)
    connection_class = Connection


class _HidingConnection(Connection):
    def hide(self, remote_id: str) -> None:
        self.hidden = remote_id


class _Hiding(_Quiet):
    capabilities = frozenset({Capability.PUBLISH, Capability.HIDE})
    connection_class = _HidingConnection


def test_a_connection_has_a_capability_only_with_its_methods() -> None:
    hiding = _Hiding.connect({}, http=None)
    quiet = _Quiet.connect({})
    try:
        hider = capable(hiding, CanHide)
        assert hider is not None
        hider.hide("42")
        assert hiding.hidden == "42"  # type: ignore[attr-defined]
        assert capable(quiet, CanHide) is None
        assert offers(_Hiding, CanHide) and not offers(_Hiding, CanUnhide)
    finally:
        hiding.close()
        quiet.close()


def test_a_missing_capability_is_a_permanent_error_in_words() -> None:
    quiet = _Quiet.connect({})
    try:
        with pytest.raises(Permanent, match="Quiet cannot hide messages"):
            required(quiet, CanHide, "hide messages")
    finally:
        quiet.close()


@pytest.mark.parametrize("network", available_networks(), ids=lambda n: n.key)
def test_what_a_network_declares_its_code_has(network: type[Network]) -> None:
    if network.can(Capability.INBOX):
        assert offers(network, CanReadInbox)
    if network.can(Capability.HIDE):
        assert offers(network, CanHide)
    if network.can(Capability.BAN):
        assert offers(network, CanBan)
    if network.can(Capability.DELETE):
        assert offers(network, CanDelete) or offers(network, CanRedact)
    # A webhook reaches Chorus at one address per channel, or at one per network app (Meta's).
    receives = capable(network, ReceivesWebhooks) or capable(network, ReceivesAppWebhooks)
    assert network.can(Capability.WEBHOOK) == (receives is not None)
    if network.can(Capability.METRICS):  # and it says which figures it gives
        assert network.post_metrics or network.account_metrics
    if network.post_metrics:
        assert network.can(Capability.METRICS) and offers(network, HasPostMetrics)


def test_telegram_receives_webhooks_as_a_typed_capability() -> None:
    telegram = capable(get_network("telegram"), ReceivesWebhooks)
    assert telegram is not None
    assert telegram.verify_webhook({}, b"{}", "s3cret") is False
