"""Threads and first comments: the parts published after a target's own post.

A target's ``options`` may hold ``"thread": ["part 2", "part 3", …]`` (its text is part 1) and
``"first_comment": "…"``. Part 1 is the target itself: when it is published, so is the target,
and its link is part 1's. Each next part answers the previous one; the first comment answers
part 1. Progress is ``options["thread_done"]``, the network's ids of the parts done in order,
written with a conditional update after each part: a retry or a restart continues where it
stopped and never posts a part twice. Each part has its own idempotency key, derived from the
target's, so a lost answer is safe to retry on networks that take keys.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels import policy
from chorus.channels import services as channels
from chorus.channels.base import Capability, Connection, OutgoingPost
from chorus.channels.errors import AuthExpired, ChannelError
from chorus.channels.registry import get_network
from chorus.core import background
from chorus.publishing.models import Outcome, PostTarget, PublishAttempt, State

log = logging.getLogger(__name__)

OWN_OPTIONS = (
    "thread",
    "first_comment",
    "thread_done",
    "thread_pending",
    "thread_retry_at",
    "thread_attempts",
)
# What a part keeps of the target's options: a followers-only thread stays followers-only.
CARRIED_OPTIONS = ("visibility", "language", "content_warning", "sensitive")


@dataclass(frozen=True)
class Part:
    number: int  # 2, 3… in the thread; the first comment comes after the last part
    text: str
    answers: int  # the number of the part it replies to (1 is the target's own post)
    is_comment: bool = False


def parts_after_first(options: dict[str, Any]) -> list[Part]:
    thread = [str(text) for text in options.get("thread") or [] if str(text).strip()]
    parts = [Part(i + 2, text, i + 1) for i, text in enumerate(thread)]
    comment = str(options.get("first_comment") or "").strip()
    if comment:
        parts.append(Part(len(thread) + 2, comment, 1, is_comment=True))
    return parts


def has_more_parts(target: PostTarget) -> bool:
    done = target.options.get("thread_done") or []
    return len(done) < len(parts_after_first(target.options))


def pending(options: dict[str, Any]) -> dict[str, Any]:
    return {
        **options,
        "thread_pending": True,
        "thread_done": list(options.get("thread_done") or []),
    }


def part_key(target: PostTarget, number: int) -> str:
    return str(uuid.uuid5(target.idempotency_key, f"part-{number}"))


def lease() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "CHORUS_PUBLISH_LEASE_SECONDS", 120)))


# -- continuing a thread -----------------------------------------------------------------------


def continue_thread(
    target: PostTarget, connection: Connection | None = None, *, claimed: bool = False
) -> str:
    """Publish the parts not done yet; "done", "later", "failed" or "taken" (someone else is).

    ``claimed``: the caller just published part 1 and still holds the target.
    """
    from chorus.publishing.connections import connection_for, network_options

    if not claimed and not take(target):
        return "taken"
    connection = connection or connection_for(target)
    carried = {k: v for k, v in network_options(target.options).items() if k in CARRIED_OPTIONS}
    done: list[str] = list(target.options.get("thread_done") or [])
    for part in parts_after_first(target.options)[len(done) :]:
        if refusal := _cannot(target, part):
            return _give_up(target, part, refusal)
        posted_ids = [target.remote_id, *done]  # posted_ids[n - 1] is part n's id
        post = OutgoingPost(
            text=part.text,
            reply_to=posted_ids[part.answers - 1],
            options=carried,
            idempotency_key=part_key(target, part.number),
        )
        try:
            published = connection.publish(post)
        except ChannelError as error:
            return _stopped(target, part, error)
        finally:
            channels.keep_rotated_credentials(target.channel, connection)
        done.append(published.remote_id)
        if not _save(target, options={**target.options, "thread_done": done}):
            return "taken"
    _save(target, options=_without_progress_marks(target.options), claimed_at=None)
    return "done"


def take(target: PostTarget) -> bool:
    """Claim the rest of a thread: nobody holds it, or its holder's lease ran out (it died)."""
    now = timezone.now()
    taken = (
        PostTarget.objects.filter(pk=target.pk, version=target.version, state=State.PUBLISHED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .update(claimed_at=now, version=F("version") + 1)
    )
    if taken:
        target.claimed_at, target.version = now, target.version + 1
    return bool(taken)


def _save(target: PostTarget, **fields: Any) -> bool:
    saved = PostTarget.objects.filter(
        pk=target.pk, version=target.version, state=State.PUBLISHED
    ).update(version=F("version") + 1, **fields)
    if saved:
        target.version += 1
        for name, value in fields.items():
            setattr(target, name, value)
    else:
        log.warning("target %s changed while its thread was published; stopping", target.pk)
    return bool(saved)


def _without_progress_marks(options: dict[str, Any]) -> dict[str, Any]:
    gone = ("thread_pending", "thread_retry_at", "thread_attempts")
    return {key: value for key, value in options.items() if key not in gone}


def _cannot(target: PostTarget, part: Part) -> str:
    network = get_network(target.channel.network)
    if part.is_comment and not (
        network.can(Capability.FIRST_COMMENT) or network.can(Capability.REPLY)
    ):
        return _("%(network)s cannot take a first comment.") % {"network": network.label}
    if not part.is_comment and not network.can(Capability.THREAD):
        return _("%(network)s cannot publish threads.") % {"network": network.label}
    return ""


# -- when a part fails -------------------------------------------------------------------------


def _stopped(target: PostTarget, part: Part, error: ChannelError) -> str:
    """Classify the error (invariant 5, the one policy): wait and try again, or stop and say
    which part."""
    said = f"{error.message} ({error.detail})" if error.detail else error.message
    attempts = int(target.options.get("thread_attempts") or 0) + 1
    channels.record_error(target.channel, error)
    # A part sent with an idempotency key is safe to send again even if it went through.
    verdict = policy.decide(error, attempts, repeatable=_keyed(target))
    wait: float | None = verdict.wait
    if isinstance(error, AuthExpired):
        wait = 0.0 if channels.recover_from_auth_error(target.channel, error) else None
    elif verdict.decision not in (policy.Decision.RETRY, policy.Decision.WAIT):
        wait = None  # refused, or may have gone through without a key: a person checks
    if wait is None or attempts >= policy.MAX_ATTEMPTS:
        return _give_up(target, part, said)
    retry_at = timezone.now() + timedelta(seconds=wait)
    options = {
        **target.options,
        "thread_attempts": attempts,
        "thread_retry_at": retry_at.isoformat(),
    }
    _log(target, Outcome.RETRY, _retry_message(target, part, said))
    if _save(target, options=options, claimed_at=None):
        _continue_later(target.pk, wait)
    return "later"


def _give_up(target: PostTarget, part: Part, said: str) -> str:
    message = _failed_message(target, part, said)
    _log(target, Outcome.FAILED, message)
    _save(
        target, options=_without_progress_marks(target.options), claimed_at=None, last_error=message
    )
    return "failed"


def _retry_message(target: PostTarget, part: Part, said: str) -> str:
    if part.is_comment:
        return _("The first comment is not published yet: %(error)s Chorus will try again.") % {
            "error": said
        }
    return _(
        "Part %(part)d of %(total)d of the thread is not published yet: %(error)s "
        "Chorus will try again; the parts before it are online."
    ) % {"part": part.number, "total": _thread_length(target), "error": said}


def _failed_message(target: PostTarget, part: Part, said: str) -> str:
    if part.is_comment:
        return _("The first comment was not published: %(error)s") % {"error": said}
    return _(
        "Part %(part)d of %(total)d of the thread was not published: %(error)s "
        "The parts before it are online; publish the rest by hand."
    ) % {"part": part.number, "total": _thread_length(target), "error": said}


def _thread_length(target: PostTarget) -> int:
    return 1 + len([p for p in parts_after_first(target.options) if not p.is_comment])


def _keyed(target: PostTarget) -> bool:
    return get_network(target.channel.network).can(Capability.IDEMPOTENCY_KEY)


def _log(target: PostTarget, outcome: str, message: str) -> None:
    PublishAttempt.note(target, outcome, message)


def _continue_later(target_id: int, delay: float) -> None:
    background.later("publishing", "continue_thread_later", target_id, delay)


def retry_due(target: PostTarget, now: datetime) -> bool:
    """For the sweeper: a pending thread whose retry time passed long ago (its task was lost)."""
    retry_at = target.options.get("thread_retry_at")
    if not retry_at:
        return target.claimed_at is None or target.claimed_at < now - lease()
    return datetime.fromisoformat(str(retry_at)) < now - timedelta(minutes=3)
