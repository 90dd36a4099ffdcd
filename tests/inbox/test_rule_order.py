"""Rules run in position order, disabled ones never, and "stop here" ends the run for a message."""

from __future__ import annotations

import pytest

from chorus.inbox.models import Conversation, Label
from chorus.inbox.rules import apply_rules
from chorus.workspaces.models import Workspace
from tests.inbox.rules_helpers import make_message, make_rule


def priority(workspace: Workspace, value: int, position: int, **fields: object) -> None:
    make_rule(workspace, [], [{"type": "priority", "priority": value}], position=position, **fields)


def test_rules_run_in_position_order(workspace_a: Workspace) -> None:
    priority(workspace_a, 0, position=2)  # runs last: its value stays
    priority(workspace_a, 3, position=1)
    message = make_message(workspace_a)
    logged = apply_rules(workspace_a, [message])
    assert [a.detail["after"] for a in logged] == [3, 0]
    assert Conversation.objects.get(pk=message.conversation_id).priority == 0


def test_stop_after_skips_later_rules_for_that_message_only(workspace_a: Workspace) -> None:
    make_rule(
        workspace_a,
        [{"type": "words", "words": ["vip"]}],
        [{"type": "priority", "priority": 3}],
        position=1,
        stop_after=True,
    )
    label = Label.objects.create(workspace=workspace_a, name="Seen")
    make_rule(workspace_a, [], [{"type": "label", "label": label.pk}], position=2)
    vip = make_message(workspace_a, "I am a VIP")
    other = make_message(workspace_a, "Just me")
    logged = apply_rules(workspace_a, [vip, other])
    assert [(a.message_id, a.action) for a in logged] == [(vip.pk, "priority"), (other.pk, "label")]


def test_a_rule_that_does_not_match_does_not_stop(workspace_a: Workspace) -> None:
    make_rule(workspace_a, [{"type": "spam"}], [{"type": "resolve"}], position=1, stop_after=True)
    priority(workspace_a, 2, position=2)
    logged = apply_rules(workspace_a, [make_message(workspace_a)])
    assert [a.action for a in logged] == ["priority"]


def test_disabled_rules_never_run(workspace_a: Workspace) -> None:
    priority(workspace_a, 3, position=1, enabled=False)
    message = make_message(workspace_a)
    assert apply_rules(workspace_a, [message]) == []
    assert Conversation.objects.get(pk=message.conversation_id).priority == 1


def test_outgoing_messages_are_not_moderated(workspace_a: Workspace) -> None:
    priority(workspace_a, 3, position=1)
    ours = make_message(workspace_a, "Our answer", direction="out")
    assert apply_rules(workspace_a, [ours]) == []


def test_ingest_runs_the_rules_on_what_it_stores(
    workspace_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from chorus.channels.base import Author, InboxItem
    from chorus.classify import Classification
    from chorus.inbox import ingest as ingest_module
    from tests.inbox.rules_helpers import make_channel

    # The classifier is not what this test is about (and has its own tests).
    said = Classification("fr", "negative", 0.9, 0.0, False, 0.0, "complaint")
    monkeypatch.setattr(ingest_module, "classify_for", lambda _ws, texts: [said] * len(texts))

    conditions = [
        {"type": "words", "words": ["remboursement"]},
        {"type": "language", "values": ["fr"]},
    ]
    make_rule(workspace_a, conditions, [{"type": "resolve"}])
    channel = make_channel(workspace_a, "mastodon")
    item = InboxItem(
        remote_id="109",
        kind="mention",
        conversation_id="109",
        author=Author(remote_id="77", handle="marie@piaille.fr"),
        text="Je demande un remboursement",
        created_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
    )
    result = ingest_module.ingest(channel, [item])
    assert [a.action for a in result.rule_actions] == ["resolve"]
    assert Conversation.objects.get(channel=channel).status == "resolved"
