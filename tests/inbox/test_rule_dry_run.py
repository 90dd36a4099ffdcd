"""The dry run: the last 30 days of incoming messages, no side effect, at most 10,000 scanned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.inbox import rules
from chorus.inbox.models import Conversation, Label, Message, Rule, RuleAction
from chorus.workspaces.models import Notification, Workspace
from tests.inbox.rules_helpers import make_message


def unsaved(workspace: Workspace, conditions: list, actions: list) -> Rule:
    return Rule(workspace=workspace, name="Try", conditions=conditions, actions=actions)


def test_counts_and_sample_within_thirty_days(workspace_a: Workspace, bob: object) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Refund")
    now = timezone.now()
    recent = make_message(workspace_a, "Remboursement SVP", created_at=now - timedelta(days=2))
    make_message(workspace_a, "Remboursement", conversation=recent.conversation)
    make_message(workspace_a, "remboursement", created_at=now - timedelta(days=31))  # too old
    make_message(workspace_a, "Bonjour")
    make_message(workspace_a, "remboursement", direction="out")  # ours: never moderated
    rule = unsaved(
        workspace_a,
        [{"type": "words", "words": ["remboursement"]}],
        [{"type": "label", "label": label.pk}, {"type": "notify", "users": [bob.pk]}],  # type: ignore[attr-defined]
    )
    result = rules.dry_run(rule, workspace_a)
    assert result.errors == {} and not result.capped
    assert result.scanned == 3 and result.matched == 2
    # The label counts conversations, the notification counts messages.
    assert result.counts == [("Add the label Refund", 1), ("Notify Bob Durand", 2)]
    assert [s.message.text for s in result.sample] == ["Remboursement", "Remboursement SVP"]
    assert result.sample[0].actions == ["Add the label Refund", "Notify Bob Durand"]


def test_nothing_is_changed_sent_or_logged(workspace_a: Workspace, bob: object) -> None:
    make_message(workspace_a, "spam spam")
    rule = unsaved(
        workspace_a,
        [],
        [
            {"type": "priority", "priority": 3},
            {"type": "resolve"},
            {"type": "notify", "users": [bob.pk]},  # type: ignore[attr-defined]
        ],
    )
    result = rules.dry_run(rule, workspace_a)
    assert result.matched == 1
    assert not RuleAction.objects.exists() and not Notification.objects.exists()
    assert Conversation.objects.get().priority == 1 and Conversation.objects.get().status == "new"
    assert not Rule.objects.exists()


def test_invalid_rule_gives_errors_not_results(workspace_a: Workspace) -> None:
    result = rules.dry_run(
        unsaved(workspace_a, [{"type": "regex", "pattern": "("}], []), workspace_a
    )
    assert "conditions.0.pattern" in result.errors and "actions" in result.errors
    assert result.scanned == 0


def test_stops_after_the_cap_and_says_so(
    workspace_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "DRY_RUN_MAX_SCANNED", 5)
    first = make_message(workspace_a, "m")
    for n in range(6):
        make_message(workspace_a, f"m{n}", conversation=first.conversation)
    result = rules.dry_run(unsaved(workspace_a, [], [{"type": "resolve"}]), workspace_a)
    assert result.capped is True and result.scanned == 5 and result.matched == 5
    assert Message.objects.count() == 7


def test_exactly_at_the_cap_is_not_capped(
    workspace_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "DRY_RUN_MAX_SCANNED", 2)
    make_message(workspace_a, "a")
    make_message(workspace_a, "b")
    result = rules.dry_run(unsaved(workspace_a, [], [{"type": "resolve"}]), workspace_a)
    assert result.capped is False and result.scanned == 2


def test_sample_is_at_most_twenty(workspace_a: Workspace) -> None:
    first = make_message(workspace_a, "x")
    for n in range(25):
        make_message(workspace_a, f"x{n}", conversation=first.conversation)
    result = rules.dry_run(unsaved(workspace_a, [], [{"type": "resolve"}]), workspace_a)
    assert result.matched == 26 and len(result.sample) == 20


def test_only_this_workspace(workspace_a: Workspace, workspace_c: Workspace) -> None:
    make_message(workspace_c, "remboursement")
    rule = unsaved(
        workspace_a, [{"type": "words", "words": ["remboursement"]}], [{"type": "resolve"}]
    )
    result = rules.dry_run(rule, workspace_a)
    assert result.scanned == 0 and result.matched == 0
