"""Moderation rules: checking them, applying them to new messages, undoing, and the dry run.

The verbs here are what the rest of Chorus calls: :func:`validate_rule` (the one place a rule is
checked, for the form and the API alike), :func:`apply_rules` (called by ingest with each batch of
stored messages), :func:`undo` and :func:`dry_run`. The schema lives in :mod:`.rule_conditions`
and :mod:`.rule_actions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import regex
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.inbox.models import Direction, Message, Rule, RuleAction
from chorus.inbox.rules.actions import (
    NETWORK_CAPABILITY,
    ActionType,
    clean_action,
    describe_action,
    network_can,
    refs_needed,
)
from chorus.inbox.rules.batch import ActionBatch, Planned
from chorus.inbox.rules.conditions import (
    ConditionType,
    WorkspaceRefs,
    clean_condition,
    describe_condition,
)
from chorus.inbox.rules.matching import Facts, Matcher, compile_conditions, lists_used
from chorus.inbox.rules.undo import offers_undo, undo, undo_refusal
from chorus.workspaces.models import Workspace

__all__ = [
    "acted_counts",
    "apply_rules",
    "clean_rule",
    "dry_run",
    "move_rule",
    "offers_undo",
    "save_rule",
    "set_enabled",
    "undo",
    "undo_refusal",
    "validate_rule",
]

log = logging.getLogger(__name__)

MAX_CONDITIONS = 20
MAX_ACTIONS = 10
DRY_RUN_MAX_SCANNED = 10_000
DRY_RUN_SAMPLE = 20


# -- checking --------------------------------------------------------------------------------


def reachable_networks(conditions: list[dict[str, Any]], refs: WorkspaceRefs) -> set[str]:
    """The networks a rule can fire on: those its "Network is" conditions allow, among the
    workspace's channels when it has none."""
    reachable: set[str] | None = None
    for condition in conditions:
        if condition.get("type") == ConditionType.NETWORK and not condition.get("negate"):
            allowed = set(condition.get("values", []))
            reachable = allowed if reachable is None else reachable & allowed
    for condition in conditions:
        if condition.get("type") == ConditionType.NETWORK and condition.get("negate"):
            reachable = (refs.channel_networks if reachable is None else reachable) - set(
                condition.get("values", [])
            )
    return refs.channel_networks if reachable is None else reachable


def clean_rule(
    conditions: Any, actions: Any, workspace: Workspace, refs: WorkspaceRefs | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """Cleaned conditions and actions, and errors keyed "conditions.0.pattern", "actions"…"""
    refs = refs or WorkspaceRefs.load(workspace)
    errors: dict[str, str] = {}
    conditions = conditions if isinstance(conditions, list) else []
    actions = actions if isinstance(actions, list) else []
    clean_conditions = []
    for number, raw in enumerate(conditions[:MAX_CONDITIONS]):
        clean, found = clean_condition(raw, refs)
        clean_conditions.append(clean)
        errors.update({f"conditions.{number}.{name}": text for name, text in found.items()})
    reachable = reachable_networks(clean_conditions, refs)
    clean_actions = []
    for number, raw in enumerate(actions[:MAX_ACTIONS]):
        clean, found = clean_action(raw, refs, reachable)
        clean_actions.append(clean)
        errors.update({f"actions.{number}.{name}": text for name, text in found.items()})
    if len(conditions) > MAX_CONDITIONS:
        errors["conditions"] = _("At most %(n)d conditions.") % {"n": MAX_CONDITIONS}
    if not actions:
        errors["actions"] = _("Add at least one action.")
    elif len(actions) > MAX_ACTIONS:
        errors["actions"] = _("At most %(n)d actions.") % {"n": MAX_ACTIONS}
    return clean_conditions, clean_actions, errors


def validate_rule(conditions: Any, actions: Any, workspace: Workspace) -> dict[str, str]:
    """Errors by field; empty when the rule can be saved."""
    return clean_rule(conditions, actions, workspace)[2]


# -- applying --------------------------------------------------------------------------------


def _compiled(rules: list[Rule]) -> list[tuple[Rule, Matcher]]:
    compiled = []
    for rule in rules:
        try:
            compiled.append((rule, compile_conditions(rule.conditions)))
        except (KeyError, TypeError, ValueError, regex.error):
            # Saved around validate_rule (admin, old data): skip it rather than stop ingest.
            log.warning("rule %s has an invalid condition; skipped", rule.pk)
    return compiled


def plan(
    compiled: list[tuple[Rule, Matcher]], messages: list[Message], facts: Facts
) -> list[Planned]:
    """What every rule would do to every message, in rule order, honouring "stop here"."""
    planned: list[Planned] = []
    for message in messages:
        for rule, matches in compiled:
            if matches(message, facts):
                planned.extend(Planned(rule, message, action) for action in rule.actions)
                if rule.stop_after:
                    break
    return planned


def apply_rules(
    workspace: Workspace, messages: list[Message], *, as_written: bool = False
) -> list[RuleAction]:
    """Run the workspace's enabled rules, in order, on freshly stored incoming messages.

    Rules, lists, labels and members are read once per batch and the writes are grouped, so
    the cost is a small fixed number of queries, not one per message. ``as_written``: the
    messages hold their conversation, author and channel as this transaction just wrote them
    (ingest's), so those are taken from the messages rather than read again.
    """
    incoming = [
        m
        for m in messages
        if m.workspace_id == workspace.pk and m.direction == Direction.INCOMING and m.pk
    ]
    if not incoming:
        return []
    rules = list(Rule.objects.filter(workspace=workspace, enabled=True).order_by("position", "id"))
    compiled = _compiled(rules)
    if not compiled:
        return []
    list_ids = set().union(*(lists_used(rule.conditions) for rule, _m in compiled))
    facts = Facts.load(workspace, incoming, list_ids, as_written=as_written)
    planned = plan(compiled, incoming, facts)
    if not planned:
        return []
    refs = WorkspaceRefs.load(
        workspace, set(facts.networks.values()), parts=refs_needed(p.action for p in planned)
    )
    return ActionBatch(workspace, refs, facts.networks).run(planned, as_written=as_written)


def acted_counts(workspace: Workspace, days: int = 30) -> dict[int, int]:
    """How many times each rule acted in the last ``days`` days (undone actions included)."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        RuleAction.objects.filter(workspace=workspace, created_at__gte=since, rule__isnull=False)
        .values_list("rule_id")
        .order_by()
    )
    counts: dict[int, int] = {}
    for (rule_id,) in rows.iterator():
        counts[rule_id] = counts.get(rule_id, 0) + 1
    return counts


# -- dry run ---------------------------------------------------------------------------------


@dataclass
class DrySample:
    message: Message
    actions: list[str]


@dataclass
class DryRunResult:
    days: int
    scanned: int = 0
    matched: int = 0
    capped: bool = False  # stopped after DRY_RUN_MAX_SCANNED messages: there were more
    counts: list[tuple[str, int]] = field(default_factory=list)  # action -> how many
    sample: list[DrySample] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


# Actions on the whole conversation count conversations; the others count messages.
PER_MESSAGE = {*NETWORK_CAPABILITY, ActionType.NOTIFY}


def dry_run(rule_or_unsaved: Rule, workspace: Workspace, days: int = 30) -> DryRunResult:
    """What the rule would have done to the incoming messages of the last ``days`` days.

    Reads only: nothing is written, sent or queued. Newest first, at most 10,000 messages.
    """
    result = DryRunResult(days=days)
    refs = WorkspaceRefs.load(workspace)
    conditions, actions, result.errors = clean_rule(
        rule_or_unsaved.conditions, rule_or_unsaved.actions, workspace, refs
    )
    if result.errors:
        return result
    since = timezone.now() - timedelta(days=days)
    found = (
        Message.objects.filter(
            workspace=workspace, direction=Direction.INCOMING, created_at__gte=since
        )
        .select_related("author", "conversation")
        .order_by("-created_at", "-pk")
    )
    messages = list(found[: DRY_RUN_MAX_SCANNED + 1])
    result.capped = len(messages) > DRY_RUN_MAX_SCANNED
    messages = messages[:DRY_RUN_MAX_SCANNED]
    result.scanned = len(messages)
    matches = compile_conditions(conditions)
    facts = Facts.load(workspace, messages, lists_used(conditions))
    matching = [m for m in messages if matches(m, facts)]
    result.matched = len(matching)
    _count_and_sample(result, matching, actions, refs, facts.networks)
    return result


def _count_and_sample(
    result: DryRunResult,
    matching: list[Message],
    actions: list[dict[str, Any]],
    refs: WorkspaceRefs,
    networks: dict[int, str],
) -> None:
    """Per action, how many it would touch; hiding or deleting only counts where the message's
    network can do it (the run itself would log "not possible here")."""
    described = [describe_action(action, refs) for action in actions]

    def applies(action: dict[str, Any], message: Message) -> bool:
        kind = ActionType(action["type"])
        return kind not in NETWORK_CAPABILITY or network_can(
            networks.get(message.channel_id, ""), kind
        )

    for action, text in zip(actions, described, strict=True):
        touched = [m for m in matching if applies(action, m)]
        per_message = action["type"] in PER_MESSAGE
        count = len(touched) if per_message else len({m.conversation_id for m in touched})
        result.counts.append((text, count))
    result.sample = [
        DrySample(m, [t for a, t in zip(actions, described, strict=True) if applies(a, m)])
        for m in matching[:DRY_RUN_SAMPLE]
    ]


def describe_rule(rule: Rule, refs: WorkspaceRefs) -> tuple[list[str], list[str]]:
    """Conditions and actions in words, for the rules list (invalid leftovers are skipped)."""
    conditions, actions = [], []
    for condition in rule.conditions:
        try:
            conditions.append(describe_condition(condition, refs))
        except (KeyError, ValueError, TypeError):
            continue
    for action in rule.actions:
        try:
            actions.append(describe_action(action, refs))
        except (KeyError, ValueError, TypeError):
            continue
    return conditions, actions


# -- managing --------------------------------------------------------------------------------


@transaction.atomic
def save_rule(rule: Rule, by: User | None = None) -> Rule:
    """Store a rule already checked by :func:`clean_rule`; a new one goes last."""
    if rule.pk is None:
        last = Rule.objects.filter(workspace=rule.workspace).aggregate(Max("position"))
        rule.position = (last["position__max"] or 0) + 1
        rule.created_by = by
    rule.save()
    return rule


@transaction.atomic
def move_rule(rule: Rule, offset: int) -> None:
    """Move a rule one place up (-1) or down (+1); positions are renumbered 1…n on the way."""
    ordered = list(
        Rule.objects.select_for_update()
        .filter(workspace_id=rule.workspace_id)
        .order_by("position", "id")
    )
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    other = index + offset
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, each in enumerate(ordered, start=1):
        each.position = number
    Rule.objects.bulk_update(ordered, ["position"])


def set_enabled(rule: Rule, enabled: bool) -> None:
    Rule.objects.filter(pk=rule.pk, workspace_id=rule.workspace_id).update(enabled=enabled)
    rule.enabled = enabled
