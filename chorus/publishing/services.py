"""Publishing verbs: create_post, edit_text, customise, schedule_post, reschedule, publish_now,
drop, pause_workspace, resume_workspace; ``ensure_publishable`` is the server's last word on a
variant. Approvals are in :mod:`.approvals`, the composer's all-or-nothing save and its
"publish / schedule / queue / submit" in :mod:`.composition`.

Views, the API and the CLI call these; they never change a target's state themselves. Every
verb takes the workspace's own objects, and every lookup is filtered by workspace (invariant 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.core import background
from chorus.publishing.approval_rule import is_approved, membership_of, note_change
from chorus.publishing.models import Media, Post, PostTarget, State, WorkspacePublishing
from chorus.publishing.problems import Problem, has_errors
from chorus.publishing.validation import problems_for
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

__all__ = ["is_approved", "membership_of"]  # kept here for callers; they live in approval_rule


class PublishingRuleBroken(Exception):
    """A request that breaks a publishing rule; the message is for the person who asked."""


class VariantProblems(PublishingRuleBroken):
    """Some variants have errors that stop them going out; ``problems`` maps channel id to them."""

    def __init__(self, problems: dict[int, list[Problem]]) -> None:
        self.problems = problems
        super().__init__(_("Fix the problems shown on each channel before publishing."))


# States in which a person may still change when or what is published.
EDITABLE = (State.DRAFT, State.AWAITING_APPROVAL, State.SCHEDULED, State.FAILED)


@transaction.atomic
def create_post(
    workspace: Workspace,
    author: User,
    text: str,
    channels: Iterable[Channel],
    *,
    media: Sequence[Media] = (),
    options: dict[str, Any] | None = None,
) -> Post:
    """A draft post with one variant per channel, each channel checked to be the workspace's."""
    chosen = list(channels)
    if any(channel.workspace_id != workspace.pk for channel in chosen):
        raise PublishingRuleBroken(_("One of the channels does not belong to this workspace."))
    must_be_the_workspaces(workspace, media)
    membership = membership_of(author, workspace)
    if not can(membership, Permission.COMPOSE):
        raise PublishingRuleBroken(_("You cannot write posts in this workspace."))
    post = Post.objects.create(
        workspace=workspace,
        author=author,
        text=text,
        needs_approval=not can(membership, Permission.PUBLISH_WITHOUT_APPROVAL),
    )
    PostTarget.objects.bulk_create(
        PostTarget(
            workspace=workspace, post=post, channel=channel, text=text, options=options or {}
        )
        for channel in chosen
    )
    for target in post.targets.all():
        target.media.set(media)
    return post


def must_be_the_workspaces(workspace: Workspace, media: Sequence[Media]) -> None:
    if any(item.workspace_id != workspace.pk for item in media):
        raise PublishingRuleBroken(_("One of the files does not belong to this workspace."))


@transaction.atomic
def edit_text(post: Post, text: str) -> None:
    """The main text flows into every variant nobody customised, if it can still change."""
    post.text = text
    post.save(update_fields=["text", "updated_at"])
    post.targets.filter(customised=False, state__in=EDITABLE).update(text=text)


def customise(target: PostTarget, text: str) -> None:
    _must_be_editable(target)
    PostTarget.objects.filter(pk=target.pk, workspace=target.workspace).update(
        text=text, customised=True
    )
    target.text, target.customised = text, True


def _must_be_editable(target: PostTarget) -> None:
    if target.state not in EDITABLE:
        raise PublishingRuleBroken(
            _("This variant is %(state)s and can no longer change.")
            % {"state": target.get_state_display()}
        )


@transaction.atomic
def schedule_post(post: Post, when: datetime, *, by: User | None = None) -> list[PostTarget]:
    """Schedule every variant at ``when`` (an aware time; stored in UTC), asked by ``by`` (the
    author when not given: the inbox answering, say).

    A post that needs approval waits for it; it is scheduled the moment it is approved.
    """
    if timezone.is_naive(when):
        raise PublishingRuleBroken(_("A time without a time zone is ambiguous."))
    note_change(post, by if by is not None else post.author)
    state = State.SCHEDULED if is_approved(post) else State.AWAITING_APPROVAL
    targets = list(post.targets.filter(state__in=EDITABLE))
    for target in targets:
        set_schedule(target, state, when)
    return targets


def set_schedule(target: PostTarget, state: str, when: datetime) -> None:
    # Bumping the version invalidates any claim or queued task that saw the old schedule.
    PostTarget.objects.filter(pk=target.pk, state__in=EDITABLE).update(
        state=state,
        scheduled_at=when,
        due_at=when,
        held=False,
        enqueued_at=None,
        attempts=0,
        version=F("version") + 1,
        state_changed_at=timezone.now(),
    )
    target.refresh_from_db()
    if state == State.SCHEDULED:
        _hand_over_if_soon(target)


def _hand_over_if_soon(target: PostTarget) -> None:
    """A post due before the next minute's dispatch goes to the queue now, at its exact time."""
    from chorus.publishing import sweeper

    due = target.due_at
    if due and due <= timezone.now() + sweeper.LOOKAHEAD:
        PostTarget.objects.filter(pk=target.pk).update(enqueued_at=timezone.now())
        background.after_commit("publishing", "enqueue", target.pk, due)


@transaction.atomic
def reschedule(target: PostTarget, when: datetime, *, by: User) -> PostTarget:
    """Move one variant to ``when``; a move by someone who needs approval waits for it."""
    _must_be_editable(target)
    if timezone.is_naive(when):
        raise PublishingRuleBroken(_("A time without a time zone is ambiguous."))
    if not (target.state == State.SCHEDULED and target.scheduled_at == when):
        note_change(target.post, by)
    state = State.SCHEDULED if is_approved(target.post) else State.AWAITING_APPROVAL
    set_schedule(target, state, when)
    return target


@transaction.atomic
def publish_now(target: PostTarget, *, by: User) -> PostTarget:
    """Out now; or, asked by someone who needs approval, as soon as it is approved (a time of
    "now" would only pass while it waits)."""
    _must_be_editable(target)
    note_change(target.post, by)
    if is_approved(target.post):
        set_schedule(target, State.SCHEDULED, timezone.now())
    else:
        wait_for_approval(target)
    return target


def wait_for_approval(target: PostTarget) -> None:
    """Waiting with no time of its own: it goes out when approved."""
    PostTarget.objects.filter(pk=target.pk, state__in=EDITABLE).update(
        state=State.AWAITING_APPROVAL,
        scheduled_at=None,
        due_at=None,
        held=False,
        enqueued_at=None,
        version=F("version") + 1,
        state_changed_at=timezone.now(),
    )
    target.refresh_from_db()


def drop(target: PostTarget) -> PostTarget:
    """Take a variant out of the plan; it stays as a draft to reuse."""
    _must_be_editable(target)
    PostTarget.objects.filter(pk=target.pk, state__in=EDITABLE).update(
        state=State.DRAFT, held=False, version=F("version") + 1, state_changed_at=timezone.now()
    )
    target.refresh_from_db()
    return target


def _switches(workspace: Workspace) -> WorkspacePublishing:
    switches, _created = WorkspacePublishing.objects.get_or_create(workspace=workspace)
    return switches


def is_paused(workspace: Workspace) -> bool:
    return WorkspacePublishing.objects.filter(workspace=workspace, paused_at__isnull=False).exists()


def pause_workspace(workspace: Workspace, by: User | None = None) -> None:
    """Stop all publishing at once (a crisis): nothing is claimed while paused."""
    switches = _switches(workspace)
    if switches.paused_at is None:
        switches.paused_at, switches.paused_by = timezone.now(), by
        switches.save(update_fields=["paused_at", "paused_by"])


@transaction.atomic
def resume_workspace(workspace: Workspace) -> list[PostTarget]:
    """Publishing resumes; what fell due meanwhile is held for a person to decide about."""
    switches = _switches(workspace)
    switches.paused_at, switches.paused_by = None, None
    switches.save(update_fields=["paused_at", "paused_by"])
    held = PostTarget.objects.filter(
        workspace=workspace, state=State.SCHEDULED, due_at__lte=timezone.now()
    ).exclude(despite_pause=True)
    held.update(held=True, version=F("version") + 1)
    return list(
        PostTarget.objects.filter(workspace=workspace, state=State.SCHEDULED, held=True)
        .select_related("post", "channel")
        .order_by("scheduled_at")
    )


@transaction.atomic
def publish_despite_pause(post: Post, *, by: User) -> list[PostTarget]:
    """Out now, even while the workspace is paused: a crisis's approved holding statement.

    Only the caller decides it deserves that (listening's crisis room, after every approver
    said yes); everything else stays paused, and nothing already held is released.
    """
    if not is_approved(post):
        raise PublishingRuleBroken(_("This post waits for approval."))
    ensure_publishable(post.targets.all())
    post.targets.filter(state__in=EDITABLE).update(despite_pause=True)
    return schedule_post(post, timezone.now(), by=by)


def targets_of(workspace: Workspace) -> QuerySet[PostTarget]:
    """The one door to a workspace's variants for views and the API."""
    return PostTarget.objects.filter(workspace=workspace).select_related("post", "channel")


def problems_of_target(target: PostTarget) -> list[Problem]:
    return problems_for(target.channel, target.text, list(target.media.all()), target.options)


def ensure_publishable(targets: Iterable[PostTarget]) -> None:
    """The server's last word: a variant with an error does not go out (drafts may have them)."""
    found = {target.channel_id: problems_of_target(target) for target in targets}
    blocking = {channel: problems for channel, problems in found.items() if has_errors(problems)}
    if blocking:
        raise VariantProblems(blocking)
