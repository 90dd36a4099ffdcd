"""Threads and first comments: the parts published after a target's own post.

A target's ``options`` may hold ``"thread": ["part 2", "part 3", …]`` (its text is part 1) and
``"first_comment": "…"``. When part 1 is published the dispatcher makes one :class:`PostPart` row
per further part (:meth:`PostPart.planned_for`); each part is then claimed and moved with the
dispatcher's own ``claim`` / ``move``, like a target (invariant 1), one at a time in order. Each
next part answers the previous one; the first comment answers part 1. A retry or a restart
continues at the first part not published and never posts a part twice. Each part has its own
idempotency key, derived from the target's, so a lost answer is safe to retry on networks that
take keys; elsewhere the part becomes unconfirmed and is looked for on the account.

Nothing here queues work: callers (tasks, the sweeper) get "later:<seconds>" back and decide.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels import policy
from chorus.channels import services as channels
from chorus.channels.base import Capability, Connection, OutgoingPost
from chorus.channels.errors import AuthExpired, ChannelError
from chorus.channels.registry import get_network
from chorus.publishing import dispatcher
from chorus.publishing.connections import connection_for, network_options, same_text
from chorus.publishing.models import Outcome, PostPart, PostTarget, PublishAttempt, State

# What a part keeps of the target's options: a followers-only thread stays followers-only.
CARRIED_OPTIONS = ("visibility", "language", "content_warning", "sensitive")
LOST_TASK_AFTER = timedelta(minutes=3)  # a part this far past its time lost its queue task
RECONCILE_GRACE = timedelta(minutes=15)  # as for a target: then an unconfirmed part has failed
IDEMPOTENCY_WINDOW = timedelta(minutes=50)  # Mastodon remembers a key for an hour


def part_key(target: PostTarget, number: int) -> str:
    return str(uuid.uuid5(target.idempotency_key, f"part-{number}"))


def lease() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "CHORUS_PUBLISH_LEASE_SECONDS", 120)))


# -- continuing a thread -----------------------------------------------------------------------


def continue_thread(target: PostTarget, connection: Connection | None = None) -> str:
    """Publish the parts not done yet, in order. Returns "done", "later:<seconds>" (a part waits
    for a retry), "failed", "waiting" (a part is unconfirmed) or "taken" (another worker has it).
    """
    parts = list(target.parts.all())
    for part in parts:
        if part.state != State.PUBLISHED:
            outcome = publish_part(target, part, parts, connection)
            if outcome != "published":
                return outcome
    return "done"


def publish_part(
    target: PostTarget, part: PostPart, parts: list[PostPart], connection: Connection | None
) -> str:
    """Claim one part and send it; "published", or why not (as :func:`continue_thread`)."""
    if part.state in (State.FAILED, State.UNCONFIRMED):
        return "failed" if part.state == State.FAILED else "waiting"
    now = timezone.now()
    if part.state == State.SCHEDULED and part.due_at and part.due_at > now + timedelta(seconds=1):
        return f"later:{(part.due_at - now).total_seconds()}"
    if not dispatcher.claim(part):
        return "taken"
    if refusal := _cannot(target, part):
        return _give_up(target, part, parts, refusal)
    connection = connection or connection_for(target)
    carried = {k: v for k, v in network_options(target.options).items() if k in CARRIED_OPTIONS}
    answered = target.remote_id if part.answers == 1 else _remote_id(parts, part.answers)
    post = OutgoingPost(
        text=part.text,
        reply_to=answered,
        options=carried,
        idempotency_key=part_key(target, part.position),
    )
    try:
        published = connection.publish(post)
    except ChannelError as error:
        return _stopped(target, part, parts, error)
    finally:
        channels.keep_rotated_credentials(target.channel, connection)
    fields = {"remote_id": published.remote_id, "remote_url": published.url}
    when = published.published_at or timezone.now()
    moved = dispatcher.move(part, State.PUBLISHED, published_at=when, last_error="", **fields)
    return "published" if moved else "taken"


def _remote_id(parts: list[PostPart], position: int) -> str:
    return next(part.remote_id for part in parts if part.position == position)


def _cannot(target: PostTarget, part: PostPart) -> str:
    network = get_network(target.channel.network)
    if part.is_comment and not (
        network.can(Capability.FIRST_COMMENT) or network.can(Capability.REPLY)
    ):
        return _("%(network)s cannot take a first comment.") % {"network": network.label}
    if not part.is_comment and not network.can(Capability.THREAD):
        return _("%(network)s cannot publish threads.") % {"network": network.label}
    return ""


# -- when a part fails -------------------------------------------------------------------------


def _stopped(target: PostTarget, part: PostPart, parts: list[PostPart], error: ChannelError) -> str:
    """Classify the error (invariant 5, the one policy): wait and try again, check the account,
    or stop and say which part."""
    said = f"{error.message} ({error.detail})" if error.detail else error.message
    channels.record_error(target.channel, error)
    # A part sent with an idempotency key is safe to send again even if it went through.
    verdict = policy.decide(error, part.attempts, repeatable=_keyed(target))
    wait: float | None = verdict.wait
    if isinstance(error, AuthExpired):
        wait = 0.0 if channels.recover_from_auth_error(target.channel, error) else None
    elif verdict.decision == policy.Decision.UNCONFIRMED:
        return _unconfirmed(target, part, said)  # may have gone through: look, never resend
    elif verdict.decision not in (policy.Decision.RETRY, policy.Decision.WAIT):
        wait = None  # refused: a person decides
    if wait is None or part.attempts >= policy.MAX_ATTEMPTS:
        return _give_up(target, part, parts, said)
    retry_at = timezone.now() + timedelta(seconds=wait)
    _log(target, Outcome.RETRY, _retry_message(target, parts, part, said))
    dispatcher.move(part, State.SCHEDULED, due_at=retry_at, last_error=said)
    return f"later:{wait}"


def _unconfirmed(target: PostTarget, part: PostPart, said: str) -> str:
    """The request may have gone through and the network takes no key: never send it again
    blind; the sweeper looks for it on the account (:func:`reconcile_part`)."""
    _log(target, Outcome.UNCONFIRMED, said)
    dispatcher.move(part, State.UNCONFIRMED, last_error=said)
    return "waiting"


def _give_up(target: PostTarget, part: PostPart, parts: list[PostPart], said: str) -> str:
    """This part failed: so do the ones after it (a thread is never published with a hole)."""
    message = _failed_message(target, parts, part, said)
    _log(target, Outcome.FAILED, message)
    dispatcher.move(part, State.FAILED, expect=part.state, last_error=message)
    for later in parts:
        if later.position > part.position and later.state == State.SCHEDULED:
            dispatcher.move(later, State.FAILED, expect=State.SCHEDULED, last_error=message)
    # A note on the published target for its page, not a change of its state.
    PostTarget.objects.filter(pk=target.pk).update(last_error=message)
    target.last_error = message
    return "failed"


def _retry_message(target: PostTarget, parts: list[PostPart], part: PostPart, said: str) -> str:
    if part.is_comment:
        return _("The first comment is not published yet: %(error)s Chorus will try again.") % {
            "error": said
        }
    return _(
        "Part %(part)d of %(total)d of the thread is not published yet: %(error)s "
        "Chorus will try again; the parts before it are online."
    ) % {"part": part.position, "total": _thread_length(parts), "error": said}


def _failed_message(target: PostTarget, parts: list[PostPart], part: PostPart, said: str) -> str:
    if part.is_comment:
        return _("The first comment was not published: %(error)s") % {"error": said}
    return _(
        "Part %(part)d of %(total)d of the thread was not published: %(error)s "
        "The parts before it are online; publish the rest by hand."
    ) % {"part": part.position, "total": _thread_length(parts), "error": said}


def _thread_length(parts: list[PostPart]) -> int:
    return 1 + len([p for p in parts if not p.is_comment])


def _keyed(target: PostTarget) -> bool:
    return get_network(target.channel.network).can(Capability.IDEMPOTENCY_KEY)


def _log(target: PostTarget, outcome: str, message: str) -> None:
    PublishAttempt.note(target, outcome, message)


# -- after downtime: the sweeper's share -------------------------------------------------------


def resume_due(now: datetime) -> int:
    """Parts whose worker died, whose answer was lost, or whose retry the queue lost."""
    recover_stale_parts(now)
    for part in PostPart.objects.filter(state=State.UNCONFIRMED).select_related("target__channel")[
        :100
    ]:
        reconcile_part(part, now)
    resumed = 0
    for target in targets_to_resume(now)[:100]:
        if continue_thread(target) != "taken":
            resumed += 1
    return resumed


def targets_to_resume(now: datetime) -> QuerySet[PostTarget]:
    """Published targets with a part long past its time and none being sent or checked.

    From the parts (their index on state and time), never by scanning every published post."""
    overdue = PostPart.objects.filter(
        state=State.SCHEDULED,
        due_at__lt=now - LOST_TASK_AFTER,
        due_at__gte=now - timedelta(days=2),
    ).values("target_id")
    busy = PostPart.objects.filter(state__in=(State.PUBLISHING, State.UNCONFIRMED))
    return (
        PostTarget.objects.filter(pk__in=overdue, state=State.PUBLISHED)
        .exclude(pk__in=busy.values("target_id"))
        .select_related("channel")
    )


def recover_stale_parts(now: datetime) -> int:
    """A part claimed longer than the lease: its worker died mid-request. Sent again with its
    key where the network takes one (it answers with the post it made), else unconfirmed."""
    recovered = 0
    stale = PostPart.objects.filter(state=State.PUBLISHING, claimed_at__lt=now - lease())
    for part in stale.select_related("target__channel"):
        target = part.target
        if _keyed(target) and part.claimed_at and part.claimed_at > now - IDEMPOTENCY_WINDOW:
            message = _("The worker publishing this thread stopped; trying again safely.")
            moved = dispatcher.move(part, State.SCHEDULED, due_at=now, last_error=message)
        else:
            message = _("The worker publishing this thread stopped; checking the network.")
            moved = dispatcher.move(part, State.UNCONFIRMED, last_error=message)
        if moved:
            recovered += 1
            _log(target, Outcome.RETRY, message)
    return recovered


def reconcile_part(part: PostPart, now: datetime) -> str:
    """Look for an unconfirmed part on the account: published if found (the thread goes on),
    failed after the grace (and the parts after it with it)."""
    target = part.target
    connection = connection_for(target)
    try:
        recent = connection.recent_posts()
    except ChannelError:
        recent = []
    finally:
        channels.keep_rotated_credentials(target.channel, connection)
    since = (part.claimed_at or part.state_changed_at) - timedelta(minutes=5)
    for post in recent:
        if same_text(post.text, part.text) and (post.published_at or now) >= since:
            fields = {"remote_id": post.remote_id, "remote_url": post.url}
            when = post.published_at or now
            if dispatcher.move(
                part, State.PUBLISHED, expect=State.UNCONFIRMED, published_at=when, **fields
            ):
                _log(
                    target,
                    Outcome.RECONCILED,
                    _("Found on the network after an unanswered request."),
                )
                continue_thread(target, connection)
            return "reconciled"
    if now - part.state_changed_at < RECONCILE_GRACE:
        return "waiting"
    said = _("Chorus could not confirm it was published and did not find it on the account.")
    return _give_up(target, part, list(target.parts.all()), said)
