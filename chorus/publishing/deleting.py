"""Deleting a post: what never went out is taken out of the plan, what is published is deleted
on the network too where the network lets Chorus (``Capability.DELETE``).

Every variant ends ``deleted`` with a line in its log saying who did it and what happened on
the network; the post is kept for that log but leaves every list. The network goes first, one
variant at a time: a network that fails stops it all with a message in words, and nothing not
yet deleted on the network is lost locally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.base import Capability, Connection
from chorus.channels.errors import AuthExpired, ChannelError, Permanent, RateLimited, Transient
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import get_network
from chorus.publishing.approval_rule import may_publish, membership_of
from chorus.publishing.models import Outcome, Post, PostTarget, PublishAttempt, State
from chorus.publishing.services import EDITABLE, PublishingRuleBroken
from chorus.workspaces.permissions import Permission, can

# On its way or maybe out: wait until the dispatcher or the sweeper has decided.
IN_FLIGHT = (State.PUBLISHING, State.UNCONFIRMED)
ON_THE_NETWORK = "network"  # deleted there too
STAYS_ON_THE_NETWORK = "stays"  # the network does not let Chorus delete: a person must
NEVER_OUT = "plan"  # never went out: only taken out of the plan


class NetworkRefusedDelete(PublishingRuleBroken):
    """The network did not delete a published variant; nothing else was changed."""


@dataclass(frozen=True)
class Step:
    target: PostTarget
    what: str  # ON_THE_NETWORK, STAYS_ON_THE_NETWORK or NEVER_OUT


def live(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts nobody deleted: the lists, the API."""
    return posts.filter(deleted_at__isnull=True)


def may_delete(post: Post, user: User) -> bool:
    """Those who may publish delete any post; a contributor only their own that never went out."""
    if post.deleted_at is not None:
        return False
    if may_publish(user, post.workspace):
        return True
    out = post.targets.exclude(state__in=(*EDITABLE, State.DELETED)).exists()
    return can(membership_of(user, post.workspace), Permission.COMPOSE) and (
        post.author_id == user.pk and not out
    )


def can_delete_on_network(channel: Channel) -> bool:
    network = get_network(channel.network)
    refused = "delete" in channel.settings.get("refused_verbs", ())
    has_verb = callable(getattr(network.connection_class, "delete", None))
    return network.can(Capability.DELETE) and has_verb and not refused


def steps_of(post: Post) -> list[Step]:
    """What deleting will do to each variant: shown on the confirmation page, then done."""
    steps = []
    for target in post.targets.select_related("channel").order_by("pk"):
        if target.state == State.DELETED:
            continue
        if target.state != State.PUBLISHED:
            steps.append(Step(target, NEVER_OUT))
        elif target.remote_id and can_delete_on_network(target.channel):
            steps.append(Step(target, ON_THE_NETWORK))
        else:
            steps.append(Step(target, STAYS_ON_THE_NETWORK))
    return steps


def delete_post(post: Post, by: User) -> list[Step]:
    """Delete ``post`` for ``by``; raises with a message (in words) when it cannot be done."""
    if not may_delete(post, by):
        raise PublishingRuleBroken(_("Your role cannot delete this post."))
    steps = steps_of(post)
    if any(_in_flight(step.target) for step in steps):
        raise PublishingRuleBroken(
            _("A variant is being published or checked right now; delete it in a few minutes.")
        )
    order = {ON_THE_NETWORK: 0, STAYS_ON_THE_NETWORK: 1, NEVER_OUT: 2}
    for step in sorted(steps, key=lambda s: order[s.what]):
        if step.what == ON_THE_NETWORK:
            _delete_on_network(step.target)
        _mark_deleted(step, by)
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    post.deleted_at = timezone.now()
    return steps


def _in_flight(target: PostTarget) -> bool:
    """The variant, or a part of its thread, is being sent or checked right now."""
    if target.state in IN_FLIGHT:
        return True
    return target.state == State.PUBLISHED and target.parts.filter(state__in=IN_FLIGHT).exists()


def _delete_on_network(target: PostTarget) -> None:
    """The thread's later parts first, then the post itself (a part already gone is deleted)."""
    channel = target.channel
    if channel.status != ChannelStatus.ACTIVE:
        raise NetworkRefusedDelete(
            _("Reconnect %(channel)s first: nothing was deleted.") % {"channel": channel.name}
        )
    parts = [part.remote_id for part in target.parts.filter(state=State.PUBLISHED)]
    for remote_id in [*reversed(parts), target.remote_id]:
        _on_network(channel, _deleter(remote_id))


def _deleter(remote_id: str) -> Callable[[Connection], Any]:
    return lambda connection: connection.delete(remote_id)  # type: ignore[attr-defined]


def _on_network(channel: Channel, act: Callable[[Connection], Any]) -> None:
    """One call; refused credentials are refreshed once, as the dispatcher does."""
    for round_ in (1, 2):
        try:
            with channels.connected(channel) as connection:
                act(connection)
            return
        except AuthExpired as error:
            if round_ == 2 or not channels.recover_from_auth_error(channel, error):
                raise NetworkRefusedDelete(in_words(channel, error)) from error
        except ChannelError as error:
            channels.record_error(channel, error)
            raise NetworkRefusedDelete(in_words(channel, error)) from error


def in_words(channel: Channel, error: ChannelError) -> str:
    """What went wrong, for the person who clicked; nothing of the post was lost."""
    where = {"channel": channel.name}
    if isinstance(error, RateLimited):
        return _(
            "%(channel)s asks Chorus to wait %(seconds)d seconds. Nothing was deleted there; "
            "try again then."
        ) % {**where, "seconds": round(error.retry_after)}
    if isinstance(error, Transient):
        return _("%(channel)s did not answer. Nothing was deleted there; try again.") % where
    if isinstance(error, AuthExpired):
        return _("%(channel)s refused the channel's credentials. Reconnect it.") % where
    if isinstance(error, Permanent):
        return _("%(channel)s refused: %(reason)s") % {**where, "reason": error.message}
    return (
        _("%(channel)s's answer was unclear: check on the network whether the post is gone.")
        % where
    )


def _mark_deleted(step: Step, by: User) -> None:
    target = step.target
    allowed = (State.PUBLISHED,) if step.what != NEVER_OUT else EDITABLE
    changed = PostTarget.objects.filter(pk=target.pk, state__in=allowed).update(
        state=State.DELETED,
        held=False,
        enqueued_at=None,
        version=F("version") + 1,  # a task already queued for it finds it changed
        state_changed_at=timezone.now(),
    )
    if not changed:
        raise PublishingRuleBroken(
            _("%(channel)s: the variant changed meanwhile; look at it again before deleting.")
            % {"channel": target.channel.name}
        )
    PublishAttempt.note(target, Outcome.DELETED, _log_line(step, by))


def _log_line(step: Step, by: User) -> str:
    said = {"who": str(by), "network": get_network(step.target.channel.network).label}
    if step.what == ON_THE_NETWORK:
        return _("Deleted by %(who)s, on %(network)s too.") % said
    if step.what == STAYS_ON_THE_NETWORK:
        return (
            _(
                "Deleted in Chorus by %(who)s. %(network)s does not let Chorus delete it: "
                "it is still on the network, delete it there."
            )
            % said
        )
    return _("Deleted by %(who)s before it went out.") % said
