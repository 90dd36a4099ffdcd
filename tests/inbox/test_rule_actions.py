"""Each action a rule can take: what it changes, what it logs, how it is undone (or why not)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from chorus.accounts.models import User
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient
from chorus.inbox.models import Conversation, Label, Message, RuleAction, SavedReply
from chorus.inbox.rules import apply_rules, undo, undo_refusal, validate_rule
from chorus.workspaces.models import Notification, Workspace
from tests.inbox.rules_helpers import (
    StandInConnection,
    make_author,
    make_channel,
    make_message,
    make_rule,
    stand_in_networks,  # noqa: F401 — a fixture
)


def act(workspace: Workspace, action: dict[str, Any], message: Message) -> list[RuleAction]:
    make_rule(workspace, [], [action])
    return apply_rules(workspace, [message])


def conversation_of(message: Message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


def test_label_is_added_logged_and_undone(workspace_a: Workspace, alice: User) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Refund")
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "label", "label": label.pk}, message)
    assert list(conversation_of(message).labels.all()) == [label]
    assert logged.detail["label"] == label.pk and logged.message == message
    assert undo(logged, alice) is True
    assert not conversation_of(message).labels.exists()
    assert logged.undone_by == alice and undo(logged, alice) is False
    assert "already undone" in undo_refusal(logged)


def test_label_already_there_is_not_logged(workspace_a: Workspace) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Refund")
    message = make_message(workspace_a)
    conversation_of(message).labels.add(label)
    assert act(workspace_a, {"type": "label", "label": label.pk}, message) == []


def test_label_removed_by_someone_since_cannot_be_undone(
    workspace_a: Workspace, alice: User
) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Refund")
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "label", "label": label.pk}, message)
    conversation_of(message).labels.remove(label)
    assert undo(logged, alice) is False
    assert "removed since" in undo_refusal(logged)


def test_assign_to_a_member_and_undo(workspace_a: Workspace, alice: User, bob: User) -> None:
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "assign", "user": bob.pk}, message)
    assert conversation_of(message).assignee == bob
    assert undo(logged, alice) is True
    assert conversation_of(message).assignee is None


def test_assign_only_to_members(workspace_a: Workspace, charlie: User) -> None:
    errors = validate_rule([], [{"type": "assign", "user": charlie.pk}], workspace_a)
    assert "actions.0.user" in errors
    message = make_message(workspace_a)  # stored around the form: still never handed to charlie
    assert act(workspace_a, {"type": "assign", "user": charlie.pk}, message) == []
    assert conversation_of(message).assignee is None


def test_priority_undo_only_if_nobody_changed_it(
    workspace_a: Workspace, alice: User, bob: User
) -> None:
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "priority", "priority": 3}, message)
    assert conversation_of(message).priority == 3
    assert logged.detail == {"field": "priority", "before": 1, "after": 3}
    Conversation.objects.filter(pk=message.conversation_id).update(priority=0)  # bob lowered it
    assert undo(logged, alice) is False
    assert "Someone changed the priority since" in undo_refusal(logged)
    assert conversation_of(message).priority == 0
    assert RuleAction.objects.get(pk=logged.pk).undone_at is None


def test_resolve_and_undo(workspace_a: Workspace, alice: User) -> None:
    message = make_message(workspace_a)
    Conversation.objects.filter(pk=message.conversation_id).update(status="pending")
    [logged] = act(workspace_a, {"type": "resolve"}, message)
    assert conversation_of(message).status == "resolved"
    assert undo(logged, alice) is True
    assert conversation_of(message).status == "pending"


def test_needs_approval_and_undo(workspace_a: Workspace, alice: User) -> None:
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "needs_approval"}, message)
    assert conversation_of(message).reply_needs_approval is True
    assert undo(logged, alice) is True
    assert conversation_of(message).reply_needs_approval is False


def test_notify_in_app_and_by_email_once_per_batch(
    workspace_a: Workspace, alice: User, bob: User
) -> None:
    make_rule(workspace_a, [], [{"type": "notify", "users": [bob.pk]}], name="Press")
    messages = [make_message(workspace_a, f"m{n}") for n in range(3)]
    logged = apply_rules(workspace_a, messages)
    assert len(logged) == 3  # one line per message in the log…
    [notice] = Notification.objects.filter(user=bob)  # …one notice for the batch
    assert "Press" in notice.message and "3" in notice.message
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert undo(logged[0], alice) is False
    assert "cannot be taken back" in undo_refusal(logged[0])


def test_auto_reply_goes_through_the_inbox_reply_service(
    workspace_a: Workspace, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chorus.inbox import replies

    sent: list[tuple[int, str, Any, bool]] = []

    def reply(conversation: Conversation, text: str, by: Any, **kw: Any) -> None:
        sent.append((conversation.pk, text, by, kw["automatic"]))

    monkeypatch.setattr(replies, "reply", reply)
    saved = SavedReply.objects.create(
        workspace=workspace_a, name="Thanks", text="Merci {first_name}, on regarde ! — {brand}"
    )
    author = make_author(workspace_a, "marie", display_name="Marie Curie")
    message = make_message(workspace_a, author=author)
    second = make_message(workspace_a, conversation=message.conversation)
    make_rule(workspace_a, [], [{"type": "auto_reply", "saved_reply": saved.pk}])
    logged = apply_rules(workspace_a, [message, second])
    # One answer per conversation, even when two of its messages match.
    assert sent == [(message.conversation_id, "Merci Marie, on regarde ! — Brand A", None, True)]
    assert [a.detail["state"] for a in logged] == ["sent"]
    assert (
        apply_rules(workspace_a, [make_message(workspace_a, conversation=message.conversation)])
        == []
    )
    assert undo(logged[0], alice) is False and "cannot be taken back" in undo_refusal(logged[0])


def test_auto_reply_failure_is_logged_not_raised(
    workspace_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chorus.inbox import replies, services

    def refuse(*args: Any, **kw: Any) -> None:
        raise services.InboxRuleBroken("ReadOnly does not let Chorus answer.")

    monkeypatch.setattr(replies, "reply", refuse)
    saved = SavedReply.objects.create(workspace=workspace_a, name="Thanks", text="Merci")
    message = make_message(workspace_a)
    [logged] = act(workspace_a, {"type": "auto_reply", "saved_reply": saved.pk}, message)
    assert logged.detail["state"] == "failed" and "answer" in logged.detail["error"]
    assert RuleAction.objects.get(pk=logged.pk).detail["state"] == "failed"


# -- on the network ----------------------------------------------------------------------------


def test_hide_runs_in_the_task_and_is_undone_with_unhide(
    workspace_a: Workspace,
    alice: User,
    stand_in_networks: type[StandInConnection],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = make_message(workspace_a, channel=make_channel(workspace_a, "moderated"))
    with django_capture_on_commit_callbacks(execute=True):
        [logged] = act(workspace_a, {"type": "hide"}, message)
    assert stand_in_networks.calls == [("hide", message.remote_id)]
    assert RuleAction.objects.get(pk=logged.pk).detail["state"] == "done"
    assert Message.objects.get(pk=message.pk).hidden is True
    logged.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert undo(logged, alice) is True
    assert stand_in_networks.calls[-1] == ("unhide", message.remote_id)
    assert Message.objects.get(pk=message.pk).hidden is False


def test_delete_cannot_be_undone(
    workspace_a: Workspace,
    alice: User,
    stand_in_networks: type[StandInConnection],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = make_message(workspace_a, channel=make_channel(workspace_a, "moderated"))
    with django_capture_on_commit_callbacks(execute=True):
        [logged] = act(workspace_a, {"type": "delete"}, message)
    assert stand_in_networks.calls == [("redact", message.remote_id)]
    assert Message.objects.get(pk=message.pk).deleted is True
    logged.refresh_from_db()
    assert undo(logged, alice) is False
    assert "cannot be undone" in undo_refusal(logged)


def test_hide_refused_at_save_where_a_network_cannot(
    workspace_a: Workspace,
    stand_in_networks: type[StandInConnection],  # noqa: F811
) -> None:
    make_channel(workspace_a, "moderated")
    assert validate_rule([], [{"type": "hide"}], workspace_a) == {}
    make_channel(workspace_a, "readonly")
    errors = validate_rule([], [{"type": "hide"}], workspace_a)
    assert "ReadOnly cannot do this" in errors["actions.0.type"]
    only_moderated = [{"type": "network", "values": ["moderated"]}]
    assert validate_rule(only_moderated, [{"type": "hide"}], workspace_a) == {}
    not_readonly = [{"type": "network", "values": ["readonly"], "negate": True}]
    assert validate_rule(not_readonly, [{"type": "delete"}], workspace_a) == {}


def test_hide_is_refused_while_a_channel_that_cannot_hide_is_reachable(
    workspace_a: Workspace,
) -> None:
    make_channel(workspace_a, "bluesky")
    assert validate_rule([], [{"type": "hide"}], workspace_a) == {}
    make_channel(workspace_a, "mastodon")
    errors = validate_rule([], [{"type": "hide"}], workspace_a)
    assert "Mastodon" in errors["actions.0.type"]
    only_bluesky = [{"type": "network", "values": ["bluesky"]}]
    assert validate_rule(only_bluesky, [{"type": "hide"}], workspace_a) == {}
    # Mastodon's and Bluesky's "delete" only remove our own posts, not someone else's.
    assert "actions.0.type" in validate_rule([], [{"type": "delete"}], workspace_a)


def test_hide_refused_at_run_is_logged_and_nothing_is_called(
    workspace_a: Workspace,
    alice: User,
    stand_in_networks: type[StandInConnection],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    message = make_message(workspace_a, channel=make_channel(workspace_a, "readonly"))
    with django_capture_on_commit_callbacks(execute=True):
        [logged] = act(workspace_a, {"type": "hide"}, message)
    assert logged.detail["state"] == "refused" and stand_in_networks.calls == []
    assert undo(logged, alice) is False and "never hidden" in undo_refusal(logged)


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (Permanent("Not allowed to moderate this room."), "failed"),
        (Transient("Timed out."), "retrying"),
        (RateLimited("Slow down.", retry_after=30), "retrying"),
        (AuthExpired("Token refused."), "failed"),
    ],
)
def test_network_errors_are_classified_and_logged(
    workspace_a: Workspace,
    stand_in_networks: type[StandInConnection],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    error: Exception,
    state: str,
) -> None:
    stand_in_networks.fail_with = error  # type: ignore[assignment]
    message = make_message(workspace_a, channel=make_channel(workspace_a, "moderated"))
    with django_capture_on_commit_callbacks(execute=True):
        [logged] = act(workspace_a, {"type": "delete"}, message)
    detail = RuleAction.objects.get(pk=logged.pk).detail
    assert detail["state"] == state and str(error) in detail["error"]
    assert Message.objects.get(pk=message.pk).deleted is False


def test_queued_hide_undone_before_it_ran_never_calls_the_network(
    workspace_a: Workspace,
    alice: User,
    stand_in_networks: type[StandInConnection],  # noqa: F811
) -> None:
    from chorus.inbox.tasks_rules import carry_out

    message = make_message(workspace_a, channel=make_channel(workspace_a, "moderated"))
    [logged] = act(workspace_a, {"type": "hide"}, message)  # on-commit never ran: still queued
    assert undo(logged, alice) is True
    carry_out(logged.pk, "hide")
    assert stand_in_networks.calls == []


def test_stored_actions_pointing_at_nothing_do_nothing(workspace_a: Workspace) -> None:
    message = make_message(workspace_a)
    actions = [{"type": "label", "label": 999_999}, {"type": "auto_reply", "saved_reply": 9}]
    make_rule(workspace_a, [], actions)
    assert apply_rules(workspace_a, [message]) == []
    assert not conversation_of(message).labels.exists()
