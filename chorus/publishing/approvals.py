"""Approvals: a contributor's post waits for someone who may approve it before it goes out.

Verbs: submit_for_approval, approve, request_changes, add_comment; ``recheck_approval`` is what
an edit does to an approval already given. Nobody approves their own post, and an approval
covers the words the reviewer saw, not whatever the post becomes afterwards.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.publishing.models import Post, PostComment, PostTarget, State
from chorus.publishing.services import (
    EDITABLE,
    PublishingRuleBroken,
    is_approved,
    membership_of,
    schedule_post,
    set_schedule,
)
from chorus.workspaces.permissions import Permission, can


@transaction.atomic
def submit_for_approval(post: Post, when: datetime | None = None) -> list[PostTarget]:
    """A contributor hands the post over; it goes out at ``when`` (or on approval) once approved."""
    if when is not None:
        return schedule_post(post, when)
    if is_approved(post):
        return schedule_post(post, timezone.now())
    targets = list(post.targets.filter(state__in=EDITABLE))
    for target in targets:
        PostTarget.objects.filter(pk=target.pk, state__in=EDITABLE).update(
            state=State.AWAITING_APPROVAL,
            scheduled_at=None,
            due_at=None,
            version=F("version") + 1,
            state_changed_at=timezone.now(),
        )
        target.refresh_from_db()
    return targets


@transaction.atomic
def approve(post: Post, by: User) -> list[PostTarget]:
    """Approve a contributor's post; nobody approves their own. Waiting variants get scheduled."""
    if post.author_id == by.pk:
        raise PublishingRuleBroken(_("Someone else must approve your post."))
    if not can(membership_of(by, post.workspace), Permission.APPROVE):
        raise PublishingRuleBroken(_("Only an editor, admin, owner or client can approve posts."))
    post.approved_by, post.approved_at = by, timezone.now()
    post.save(update_fields=["approved_by", "approved_at", "updated_at"])
    waiting = list(post.targets.filter(state=State.AWAITING_APPROVAL))
    for target in waiting:
        set_schedule(target, State.SCHEDULED, target.scheduled_at or timezone.now())
    return waiting


@transaction.atomic
def request_changes(post: Post, by: User, comment: str) -> PostComment:
    """An approver sends the post back to its author as a draft, saying what to change."""
    if not comment.strip():
        raise PublishingRuleBroken(_("Say what needs to change."))
    if post.author_id == by.pk:
        raise PublishingRuleBroken(_("Someone else must review your post."))
    if not can(membership_of(by, post.workspace), Permission.APPROVE):
        raise PublishingRuleBroken(_("Only an editor, admin, owner or client can approve posts."))
    post.targets.filter(state=State.AWAITING_APPROVAL).update(
        state=State.DRAFT, version=F("version") + 1, state_changed_at=timezone.now()
    )
    post.approved_by, post.approved_at = None, None
    post.save(update_fields=["approved_by", "approved_at", "updated_at"])
    return add_comment(post, by, comment)


def add_comment(post: Post, author: User, text: str) -> PostComment:
    """A note for the team on the post; anyone who writes or approves posts may leave one."""
    membership = membership_of(author, post.workspace)
    if not (can(membership, Permission.COMPOSE) or can(membership, Permission.APPROVE)):
        raise PublishingRuleBroken(_("Your role cannot comment on posts."))
    if not text.strip():
        raise PublishingRuleBroken(_("Write a comment first."))
    return PostComment.objects.create(
        workspace=post.workspace, post=post, author=author, text=text.strip()
    )


def recheck_approval(post: Post, editor: User) -> None:
    """An approval covers what was approved, not whatever the post becomes: a change withdraws it
    and the variants wait again, so nobody publishes words a reviewer never saw. Unless the
    person changing it may approve it (and is not its author): their edit is their review, and
    the approval is recorded in their name. Variants already out are left as they are."""
    if not post.needs_approval or post.approved_at is None:
        return
    if post.author_id != editor.pk and can(
        membership_of(editor, post.workspace), Permission.APPROVE
    ):
        post.approved_by, post.approved_at = editor, timezone.now()
    else:
        post.approved_by, post.approved_at = None, None
        post.targets.filter(state=State.SCHEDULED).update(
            state=State.AWAITING_APPROVAL,
            enqueued_at=None,
            version=F("version") + 1,  # a task already queued for it finds it changed
            state_changed_at=timezone.now(),
        )
    post.save(update_fields=["approved_by", "approved_at", "updated_at"])
