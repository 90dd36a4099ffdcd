"""Hiding, deleting and unhiding on the network for moderation rules, in the background.

Ingest must never wait on a network, so a rule's "hide" or "delete" is logged as *queued* and
carried out here. The network's answer is classified before anything changes (invariant 5):
transient errors retry with backoff, a rate limit waits for the network's own reset, refused
credentials are refreshed once, a permanent refusal is logged in words a person can act on.
Hiding and deleting are idempotent on every network we speak to, so an unconfirmed answer is
simply tried again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from chorus.channels import services as channels
from chorus.channels.errors import AuthExpired, ChannelError, Permanent, RateLimited
from chorus.core import background
from chorus.inbox.models import Message, RuleAction
from chorus.inbox.previews import forget_deleted_text

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (30, 120, 600, 1800)
# What each verb calls on the connection, and what it records on the message when done.
VERBS = {"hide": ("hide", {"hidden": True}), "delete": ("redact", {"deleted": True})}
UNDO_VERBS = {"unhide": ("unhide", {"hidden": False})}


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
    method, marks = (UNDO_VERBS if undoing else VERBS)[verb]
    try:
        _call(action, method)
    except AuthExpired as error:
        if channels.recover_from_auth_error(action.message.channel, error):
            return _retry(action, verb, error, 1.0)
        return _settle(action, verb, "failed", error)
    except RateLimited as error:
        channels.record_error(action.message.channel, error)
        return _retry(action, verb, error, error.retry_after)
    except Permanent as error:
        channels.record_error(action.message.channel, error)
        return _settle(action, verb, "failed", error)
    except ChannelError as error:  # Transient, Unconfirmed: safe to repeat
        channels.record_error(action.message.channel, error)
        return _retry(action, verb, error, None)
    Message.objects.filter(pk=action.message_id).update(**marks)
    if marks.get("deleted"):
        forget_deleted_text(action.message)
    channels.record_success(action.message.channel)
    return _settle(action, verb, "done", None)


def _call(action: RuleAction, method: str) -> None:
    assert action.message is not None  # checked by the caller; keeps mypy sure of it
    channel = action.message.channel
    with channels.connected(channel) as connection:
        call = getattr(connection, method, None)
        if not callable(call):
            raise Permanent(f"{channel.network} cannot {method} messages.")
        call(action.message.remote_id)


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


def _retry(action: RuleAction, verb: str, error: ChannelError, wait: float | None) -> float | None:
    attempts = int(action.detail.get("attempts", 0)) + 1
    if attempts >= MAX_ATTEMPTS:
        return _settle(action, verb, "failed", error)
    delay = wait if wait is not None else BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
    _record(action, verb, state="retrying", error=error.message, attempts=attempts)
    log.info("rule action %s: %s, again in %ss", action.pk, type(error).__name__, delay)
    return delay
