"""Helpers for the moderation-rule tests: conversations and messages made straight with the models,
and two stand-in networks (one that can hide and delete, one that cannot).

The stand-ins test the rule machinery (capability checks, logging, undo, error handling), not a
real network: the connectors have their own tests against recorded and real traffic.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from chorus.channels import registry
from chorus.channels.base import Capability, Connection, Limits, Network
from chorus.channels.errors import ChannelError
from chorus.channels.models import Channel
from chorus.inbox.models import Author, Conversation, Message, Rule
from chorus.workspaces.models import Workspace

_numbers = itertools.count(1)


class StandInConnection(Connection):
    calls: ClassVar[list[tuple[str, str]]] = []
    fail_with: ClassVar[ChannelError | None] = None

    def _do(self, verb: str, remote_id: str) -> None:
        if StandInConnection.fail_with is not None:
            raise StandInConnection.fail_with
        StandInConnection.calls.append((verb, remote_id))

    def hide(self, remote_id: str) -> None:
        self._do("hide", remote_id)

    def unhide(self, remote_id: str) -> None:
        self._do("unhide", remote_id)

    def redact(self, remote_id: str) -> None:
        self._do("redact", remote_id)


class Moderated(Network):
    key = "moderated"
    label = "Moderated"
    capabilities = frozenset({Capability.INBOX, Capability.HIDE, Capability.DELETE})
    limits = Limits(max_chars=500)
    connection_class = StandInConnection


class ReadOnly(Network):
    key = "readonly"
    label = "ReadOnly"
    capabilities = frozenset({Capability.INBOX})
    limits = Limits(max_chars=500)
    connection_class = StandInConnection


@pytest.fixture
def stand_in_networks(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[StandInConnection]]:
    monkeypatch.setitem(registry.NETWORKS, "moderated", f"{__name__}.Moderated")
    monkeypatch.setitem(registry.NETWORKS, "readonly", f"{__name__}.ReadOnly")
    registry.get_network.cache_clear()
    StandInConnection.calls = []
    StandInConnection.fail_with = None
    yield StandInConnection
    registry.get_network.cache_clear()
    StandInConnection.fail_with = None


def make_channel(workspace: Workspace, network: str = "mastodon") -> Channel:
    n = next(_numbers)
    return Channel.objects.create(
        workspace=workspace, network=network, name=f"{network} {n}", remote_id=f"acct-{n}"
    )


def make_author(workspace: Workspace, handle: str = "", **fields: Any) -> Author:
    n = next(_numbers)
    return Author.objects.create(
        workspace=workspace,
        network=fields.pop("network", "mastodon"),
        remote_id=f"author-{n}",
        handle=handle or f"person{n}",
        **fields,
    )


def make_message(
    workspace: Workspace,
    text: str = "Hello",
    *,
    channel: Channel | None = None,
    conversation: Conversation | None = None,
    **fields: Any,
) -> Message:
    n = next(_numbers)
    if conversation is None:
        channel = channel or Channel.objects.filter(workspace=workspace).first()
        channel = channel or make_channel(workspace)
        conversation = Conversation.objects.create(
            workspace=workspace,
            channel=channel,
            remote_id=f"thread-{n}",
            kind=fields.get("kind", "comment"),
            preview=text[:300],
        )
    return Message.objects.create(
        workspace=workspace,
        conversation=conversation,
        channel_id=conversation.channel_id,
        remote_id=f"msg-{n}",
        text=text,
        **fields,
    )


def make_rule(workspace: Workspace, conditions: list, actions: list, **fields: Any) -> Rule:
    return Rule.objects.create(
        workspace=workspace,
        name=fields.pop("name", f"Rule {next(_numbers)}"),
        conditions=conditions,
        actions=actions,
        **fields,
    )
