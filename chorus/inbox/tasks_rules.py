"""Hiding, deleting and unhiding on the network for moderation rules, in the background.

Ingest must never wait on a network, so a rule's "hide" or "delete" is logged as *queued* and
carried out here. The network's answer is classified before anything changes (invariant 5,
the one policy of ``chorus/channels/policy.py``): transient errors retry with backoff, a rate
limit waits for the network's own reset, refused credentials are refreshed once, a permanent
refusal is logged in words a person can act on. Hiding and deleting are idempotent on every
network we speak to, so an unconfirmed answer is simply tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from chorus.channels import policy
from chorus.channels import services as channels
from chorus.channels.base import Connection
from chorus.channels.capabilities import CanHide, CanRedact, CanUnhide, required
from chorus.channels.errors import ChannelError
from chorus.core import background
from chorus.inbox.models import Message, RuleAction
from chorus.inbox.previews import forget_deleted_text

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # waits from the one backoff table (policy.BACKOFF_SECONDS)
Act = Callable[[Connection, str], None]
# What each verb does on the connection, and what it records on the message when done.
VERBS: dict[str, tuple[Act, dict[str, bool]]] = {
    "hide": (
        lambda c, remote_id: required(c, CanHide, "hide messages").hide(remote_id),
        {"hidden": True},
    ),
    "delete": (
        lambda c, remote_id: required(c, CanRedact, "delete messages").redact(remote_id),
        {"deleted": True},
    ),
}
UNDO_VERBS: dict[str, tuple[Act, dict[str, bool]]] = {
    "unhide": (
        lambda c, remote_id: required(c, CanUnhide, "unhide messages").unhide(remote_id),
        {"hidden": False},
    )
}


@db_task()
def moderate_on_network(action_id: int, verb: str) -> None:
    delay = carry_out(action_id, verb)
    if delay is not None:
        if HUEY.immediate:
            return  # tests and the embedded mode never sleep: the log says "retrying"
        moderate_on_network.schedule((action_id, verb), delay=delay)


# Rules and their undo ask for this through inbox/background.py; they never import this module.
background.bind("inbox", moderate_on_network=moderate_on_network)


def carry_out(action_id: int, verb: str) -> float | None:
    """Do it once; the number of seconds to wait before trying again, or None when settled."""
    action = RuleAction.objects.filter(pk=action_id).select_related("message__channel").first()
    if action is None or action.message is None or action.message_id is None:
        return None
    undoing = verb in UNDO_VERBS
    if action.undone_at is not None and not undoing:
        return None  # undone before it ran: nothing to do
    act, marks = (UNDO_VERBS if undoing else VERBS)[verb]
    try:
        _call(action, act)
    except ChannelError as error:  # already on the channel's health; refreshed once if refused
        attempts = int(action.detail.get("attempts", 0)) + 1
        verdict = policy.decide(error, attempts, repeatable=True, max_attempts=MAX_ATTEMPTS)
        if verdict.decision in (policy.Decision.RETRY, policy.Decision.WAIT):
            return _retry(action, verb, error, verdict.wait, attempts)
        return _settle(action, verb, "failed", error)
    Message.objects.filter(pk=action.message_id).update(**marks)
    if marks.get("deleted"):
        forget_deleted_text(action.message)
    channels.record_success(action.message.channel)
    return _settle(action, verb, "done", None)


def _call(action: RuleAction, act: Act) -> None:
    assert action.message is not None  # checked by the caller; keeps mypy sure of it
    remote_id = action.message.remote_id
    policy.call_network(action.message.channel, lambda connection: act(connection, remote_id))


def _record(action: RuleAction, verb: str, **values: Any) -> None:
    key = "undo_state" if verb in UNDO_VERBS else "state"
    detail = dict(action.detail)
    detail[key] = values.pop("state")
    detail.update(values)
    action.detail = detail
    RuleAction.objects.filter(pk=action.pk).update(detail=detail)


def _settle(action: RuleAction, verb: str, state: str, error: ChannelError | None) -> float | None:
    said = ""
    if error is not None:
        said = f"{error.message} ({error.detail})" if error.detail else error.message
    _record(action, verb, state=state, error=said, finished_at=timezone.now().isoformat())
    return None


def _retry(
    action: RuleAction, verb: str, error: ChannelError, delay: float, attempts: int
) -> float | None:
    if attempts >= MAX_ATTEMPTS:
        return _settle(action, verb, "failed", error)
    _record(action, verb, state="retrying", error=error.message, attempts=attempts)
    log.info("rule action %s: %s, again in %ss", action.pk, type(error).__name__, delay)
    return delay
