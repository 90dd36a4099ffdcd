"""What a moderation rule can do: the schema of actions and their checks.

An action is a small dict stored in ``Rule.actions``: ``{"type": "label", "label": 3}``.
:func:`clean_action` is the only place deciding what a valid one looks like; carrying actions
out is :mod:`chorus.inbox.rules.batch`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from chorus.channels.base import Capability
from chorus.channels.capabilities import CanHide, CanRedact, offers
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.inbox.models import Priority
from chorus.inbox.rules.conditions import WorkspaceRefs


class ActionType(StrEnum):
    LABEL = "label"
    ASSIGN = "assign"
    PRIORITY = "priority"
    RESOLVE = "resolve"
    NEEDS_APPROVAL = "needs_approval"
    HIDE = "hide"
    DELETE = "delete"
    AUTO_REPLY = "auto_reply"
    NOTIFY = "notify"


ACTION_LABELS = {
    ActionType.LABEL: _("Add the label"),
    ActionType.ASSIGN: _("Assign to"),
    ActionType.PRIORITY: _("Set the priority to"),
    ActionType.RESOLVE: _("Mark resolved"),
    ActionType.NEEDS_APPROVAL: _("Require approval before any reply"),
    ActionType.HIDE: _("Hide it on the network"),
    ActionType.DELETE: _("Delete it on the network"),
    ActionType.AUTO_REPLY: _("Reply automatically with"),
    ActionType.NOTIFY: _("Notify"),
}
# The capability a network must declare, and the connection's verb: deleting someone else's
# message is a moderator's "redact" (Matrix), not the "delete" that removes our own posts.
NETWORK_CAPABILITY = {
    ActionType.HIDE: (Capability.HIDE, CanHide),
    ActionType.DELETE: (Capability.DELETE, CanRedact),
}
UNDOABLE = {
    ActionType.LABEL,
    ActionType.ASSIGN,
    ActionType.PRIORITY,
    ActionType.RESOLVE,
    ActionType.NEEDS_APPROVAL,
    ActionType.HIDE,
}
# The conversation field each "set" action changes, and the value it sets.
CONVERSATION_FIELD = {
    ActionType.ASSIGN: "assignee_id",
    ActionType.PRIORITY: "priority",
    ActionType.RESOLVE: "status",
    ActionType.NEEDS_APPROVAL: "reply_needs_approval",
}


# What of the workspace each action needs to be carried out (see WorkspaceRefs.load).
REFS_USED = {
    ActionType.LABEL: "labels",
    ActionType.ASSIGN: "members",
    ActionType.AUTO_REPLY: "saved_replies",
    ActionType.NOTIFY: "members",
}


def refs_needed(actions: Iterable[dict[str, Any]]) -> set[str]:
    """The parts of :class:`WorkspaceRefs` carrying out ``actions`` reads."""
    return {REFS_USED[kind] for kind in {a["type"] for a in actions} if kind in REFS_USED}


def network_can(network_key: str, kind: ActionType) -> bool:
    """The network declares the capability AND its connection has the verb for it."""
    capability, able = NETWORK_CAPABILITY[kind]
    try:
        network = get_network(network_key)
    except (UnknownNetwork, ImportError):
        return False
    return network.can(capability) and offers(network, able)


def network_label(network_key: str) -> str:
    try:
        return get_network(network_key).label
    except (UnknownNetwork, ImportError):
        return network_key


# -- checking --------------------------------------------------------------------------------


def _pick(raw: dict, name: str, known: dict[int, Any], error: str, errors: dict) -> int:
    try:
        chosen = int(raw.get(name) or 0)
    except (TypeError, ValueError):
        chosen = 0
    if chosen not in known:
        errors[name] = error
    return chosen


def clean_action(
    raw: Any, refs: WorkspaceRefs, reachable: set[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A valid action and no errors, or errors by parameter name.

    ``reachable`` is the set of networks the rule can fire on: hiding or deleting must be
    possible on every one of them, or the rule would promise what it cannot do.
    """
    if not isinstance(raw, dict) or raw.get("type") not in set(ActionType):
        return {}, {"type": str(_("Choose what to do."))}
    kind = ActionType(raw["type"])
    clean: dict[str, Any] = {"type": kind.value}
    errors: dict[str, str] = {}
    if kind is ActionType.LABEL:
        clean["label"] = _pick(raw, "label", refs.labels, str(_("Choose a label.")), errors)
    elif kind is ActionType.ASSIGN:
        clean["user"] = _pick(
            raw, "user", refs.members, str(_("Choose a member of this workspace.")), errors
        )
    elif kind is ActionType.PRIORITY:
        levels = {p.value: p for p in Priority}
        clean["priority"] = _pick(raw, "priority", levels, str(_("Choose a priority.")), errors)
    elif kind is ActionType.AUTO_REPLY:
        clean["saved_reply"] = _pick(
            raw, "saved_reply", refs.saved_replies, str(_("Choose a saved reply.")), errors
        )
    elif kind is ActionType.NOTIFY:
        clean["users"] = _clean_people(raw.get("users"), refs, errors)
    elif kind in NETWORK_CAPABILITY:
        _check_capability(kind, reachable, errors)
    return clean, errors


def _clean_people(given: Any, refs: WorkspaceRefs, errors: dict) -> list[int]:
    people = given if isinstance(given, list) else [given] if given else []
    try:
        ids = sorted({int(p) for p in people})
    except (TypeError, ValueError):
        ids = []
    if not ids or any(i not in refs.members for i in ids):
        errors["users"] = str(_("Choose one or more members of this workspace."))
    return ids


def _check_capability(kind: ActionType, reachable: set[str], errors: dict) -> None:
    if not reachable:
        errors["type"] = str(_("No connected channel can do this yet."))
        return
    unable = sorted(network_label(n) for n in reachable if not network_can(n, kind))
    if unable:
        errors["type"] = str(
            _("%(networks)s cannot do this. Add a “Network is” condition that leaves them out.")
            % {"networks": ", ".join(unable)}
        )


def describe_action(action: dict[str, Any], refs: WorkspaceRefs) -> str:
    kind = ActionType(action["type"])
    label = str(ACTION_LABELS[kind])
    detail = ""
    if kind is ActionType.LABEL:
        detail = str(refs.labels.get(action.get("label", 0), "?"))
    elif kind is ActionType.ASSIGN:
        detail = str(refs.members.get(action.get("user", 0), "?"))
    elif kind is ActionType.PRIORITY:
        detail = str(Priority(action.get("priority", 1)).label)
    elif kind is ActionType.AUTO_REPLY:
        detail = f"“{refs.saved_replies.get(action.get('saved_reply', 0), '?')}”"
    elif kind is ActionType.NOTIFY:
        detail = ", ".join(str(refs.members.get(u, "?")) for u in action.get("users", []))
    return f"{label} {detail}".strip()
