"""Carrying out the actions rules planned for a batch of messages, with grouped writes.

:class:`ActionBatch` takes the actions of a whole ingest batch at once, and every action it takes
leaves a :class:`RuleAction` holding what undoing it needs (see :mod:`chorus.inbox.rules.undo`).
The actions' schema and checks are :mod:`chorus.inbox.rules.actions`'.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chorus.core.bulk_sql import create_many, insert_many, update_many
from chorus.inbox import background
from chorus.inbox.models import Conversation, Message, Rule, RuleAction, SavedReply, Status
from chorus.inbox.rules.actions import (
    CONVERSATION_FIELD,
    NETWORK_CAPABILITY,
    ActionType,
    network_can,
    network_label,
)
from chorus.inbox.rules.conditions import WorkspaceRefs
from chorus.inbox.rules.matching import held
from chorus.workspaces.models import Workspace

log = logging.getLogger(__name__)

AUTO_REPLY_QUIET_HOURS = 24  # one automatic answer per conversation and rule per day, at most


@dataclass
class Planned:
    rule: Rule
    message: Message
    action: dict[str, Any]


class ActionBatch:
    """Carries out the planned actions of one ingest batch with a handful of grouped writes."""

    def __init__(self, workspace: Workspace, refs: WorkspaceRefs, networks: dict[int, str]):
        self.workspace = workspace
        self.refs = refs
        self.networks = networks  # channel id -> network key
        self.logged: list[RuleAction] = []
        self.conversations: dict[int, Conversation] = {}
        self.field_values: dict[int, dict[str, Any]] = defaultdict(dict)
        self.label_links: set[tuple[int, int]] = set()  # (conversation id, label id) to add
        self.notices: dict[int, tuple[Rule, set[int], list[int]]] = {}
        self.replies: list[tuple[RuleAction, Conversation, str, SavedReply]] = []

    def run(self, planned: list[Planned], *, as_written: bool = False) -> list[RuleAction]:
        """``as_written``: the messages hold their conversations as this transaction wrote
        them (ingest's, statuses moved and figures rolled up); they are not read again."""
        if not planned:
            return []
        self.conversations = self._conversations(planned, as_written)
        self.has_label = self._labels_present(planned)
        self.recent_replies = self._recent_auto_replies(planned)
        for item in planned:
            conversation = self.conversations.get(item.message.conversation_id)
            if conversation is not None:
                self._take(item, conversation)
        self._write()
        return self.logged

    def _conversations(self, planned: list[Planned], as_written: bool) -> dict[int, Conversation]:
        found: dict[int, Conversation] = {}
        for item in planned if as_written else []:
            conversation = held(_CONVERSATION, item.message, self.workspace)
            if conversation is not None:
                found[conversation.pk] = conversation
        missing = {p.message.conversation_id for p in planned} - found.keys()
        if missing:
            read = Conversation.objects.filter(workspace=self.workspace, pk__in=missing)
            found.update((c.pk, c) for c in read)
        return found

    def _labels_present(self, planned: list[Planned]) -> set[tuple[int, int]]:
        if not any(p.action["type"] == ActionType.LABEL for p in planned):
            return set()
        links = Conversation.labels.through.objects.filter(
            conversation_id__in=self.conversations.keys()
        ).values_list("conversation_id", "label_id")
        return set(links)

    def _recent_auto_replies(self, planned: list[Planned]) -> set[tuple[int | None, int]]:
        if not any(p.action["type"] == ActionType.AUTO_REPLY for p in planned):
            return set()
        since = timezone.now() - timedelta(hours=AUTO_REPLY_QUIET_HOURS)
        done = RuleAction.objects.filter(
            workspace=self.workspace,
            action=ActionType.AUTO_REPLY,
            conversation_id__in=self.conversations.keys(),
            created_at__gte=since,
        ).values_list("rule_id", "conversation_id")
        return set(done)

    def _log(self, item: Planned, conversation: Conversation, **detail: Any) -> RuleAction:
        logged = RuleAction(
            workspace=self.workspace,
            rule=item.rule,
            conversation=conversation,
            message=item.message,
            action=item.action["type"],
            detail=detail,
        )
        self.logged.append(logged)
        return logged

    def _take(self, item: Planned, conversation: Conversation) -> None:
        kind = ActionType(item.action["type"])
        if kind is ActionType.LABEL:
            self._add_label(item, conversation)
        elif kind in CONVERSATION_FIELD:
            self._set_field(item, conversation, kind)
        elif kind in NETWORK_CAPABILITY:
            self._on_network(item, conversation, kind)
        elif kind is ActionType.AUTO_REPLY:
            self._auto_reply(item, conversation)
        elif kind is ActionType.NOTIFY:
            self._notify(item, conversation)

    def _add_label(self, item: Planned, conversation: Conversation) -> None:
        label = self.refs.labels.get(item.action.get("label", 0))
        link = (conversation.pk, label.pk) if label else None
        if label is None or link in self.has_label:
            return  # gone since the rule was saved, or already there: nothing to undo either
        self.has_label.add(link)  # type: ignore[arg-type]
        self.label_links.add(link)  # type: ignore[arg-type]
        self._log(item, conversation, label=label.pk, label_name=label.name)

    def _set_field(self, item: Planned, conversation: Conversation, kind: ActionType) -> None:
        name = CONVERSATION_FIELD[kind]
        value: Any = {
            ActionType.ASSIGN: item.action.get("user"),
            ActionType.PRIORITY: item.action.get("priority"),
            ActionType.RESOLVE: Status.RESOLVED.value,
            ActionType.NEEDS_APPROVAL: True,
        }[kind]
        if kind is ActionType.ASSIGN and value not in self.refs.members:
            return  # no longer a member: never hand a conversation to an outsider
        before = getattr(conversation, name)
        if before == value:
            return
        setattr(conversation, name, value)
        self.field_values[conversation.pk][name] = value
        self._log(item, conversation, field=name, before=before, after=value)

    def _on_network(self, item: Planned, conversation: Conversation, kind: ActionType) -> None:
        network = self.networks.get(item.message.channel_id, "")
        if not network_can(network, kind):
            reason = str(_("%(network)s cannot do this.") % {"network": network_label(network)})
            self._log(item, conversation, state="refused", error=reason)
            return
        self._log(item, conversation, state="queued", remote_id=item.message.remote_id)

    def _auto_reply(self, item: Planned, conversation: Conversation) -> None:
        saved = self.refs.saved_replies.get(item.action.get("saved_reply", 0))
        key = (item.rule.pk, conversation.pk)
        if saved is None or key in self.recent_replies:
            return
        self.recent_replies.add(key)
        logged = self._log(item, conversation, saved_reply=saved.pk, state="pending")
        text = fill_in(saved.text, item.message, self.workspace)
        self.replies.append((logged, conversation, text, saved))

    def _notify(self, item: Planned, conversation: Conversation) -> None:
        users = [u for u in item.action.get("users", []) if u in self.refs.members]
        if not users:
            return
        rule, people, conversations = self.notices.setdefault(item.rule.pk, (item.rule, set(), []))
        people.update(users)
        conversations.append(conversation.pk)
        self._log(item, conversation, users=users)

    # -- writing ---------------------------------------------------------------------------

    def _write(self) -> None:
        # No savepoint of its own: a failure here fails the whole of apply_rules, whose caller
        # (ingest) already holds one around it.
        with transaction.atomic(savepoint=False):
            self._write_fields()
            if self.label_links:
                through = Conversation.labels.through
                rows = [through(conversation_id=c, label_id=lbl) for c, lbl in self.label_links]
                insert_many(through, rows, skip_existing=True)
            create_many(RuleAction, self.logged)
        self._send_replies()
        self._send_notices()
        self._queue_network_actions()

    def _write_fields(self) -> None:
        """One UPDATE for every field and conversation: each conversation gets the fields its
        rules set, the others keep the stored value (a rule never sets one to NULL)."""
        if not self.field_values:
            return
        changed = [self.conversations[pk] for pk in self.field_values]
        names = sorted({name for values in self.field_values.values() for name in values})
        given = {name: [self.field_values[c.pk].get(name) for c in changed] for name in names}
        update_many(Conversation, changed, [], changed=given)

    def _send_replies(self) -> None:
        for logged, conversation, text, saved in self.replies:
            logged.detail = {**logged.detail, **send_auto_reply(conversation, text, saved)}
            RuleAction.objects.filter(pk=logged.pk).update(detail=logged.detail)

    def _send_notices(self) -> None:
        from chorus.workspaces.services import notify

        for rule, people, conversations in self.notices.values():
            users = [self.refs.members[u] for u in sorted(people)]
            count, name = len(conversations), rule.name

            def message(count: int = count, name: str = name) -> str:
                return ngettext(
                    "Rule “%(rule)s” matched %(n)d new message.",
                    "Rule “%(rule)s” matched %(n)d new messages.",
                    count,
                ) % {"rule": name, "n": count}

            def subject(name: str = name) -> str:
                return str(_("Chorus: rule “%(rule)s” matched") % {"rule": name})

            link = reverse("inbox:rules_log")
            notify(self.workspace, users, message, link=link, email_subject=subject)

    def _queue_network_actions(self) -> None:
        for logged in self.logged:
            if logged.action in NETWORK_CAPABILITY and logged.detail.get("state") == "queued":
                # After commit: the worker must find the logged action when it starts.
                background.moderate_after_commit(logged.pk, logged.action)


_CONVERSATION = Message._meta.get_field("conversation")


def fill_in(text: str, message: Message, workspace: Workspace) -> str:
    """Fill the saved reply's variables for the author answered (same names as the inbox's).

    Plain substitution, never ``str.format``: saved replies are typed by people.
    """
    author = message.author if message.author_id else None
    name = (author.display_name or author.handle) if author else ""
    values = {
        "first_name": (name.split() or [""])[0].lstrip("@"),
        "name": name,
        "handle": f"@{author.handle.lstrip('@')}" if author and author.handle else "",
        "agent_name": workspace.name,  # nobody typed it: the brand signs
        "brand": workspace.name,
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def send_auto_reply(conversation: Conversation, text: str, saved: SavedReply) -> dict[str, Any]:
    """Answer through the inbox's own reply service, so approval and sending rules apply."""
    from chorus.inbox import replies  # replies imports the rules: import at call time

    try:
        with transaction.atomic():
            replies.reply(conversation, text, by=None, automatic=True, saved_reply=saved)
    except Exception as exc:  # noqa: BLE001 — one failed answer must not fail a whole ingest
        log.exception("automatic reply failed on conversation %s", conversation.pk)
        return {"state": "failed", "error": str(exc)[:300]}
    return {"state": "sent"}
