"""The one approval rule every change to a post goes through.

A change by someone who needs approval (a contributor) — text, media, channels, time, "publish
now", on their own post or anyone's — withdraws any approval and sends the post back to
*awaiting approval*: only someone allowed to approve can make it go out. The post remembers
whose change waits (``Post.changed_by``), so that person never approves it themselves while the
post's author, if they may approve, can.

Kept apart from :mod:`.services` and :mod:`.approvals` (it imports neither) so both, and every
route, call the same function.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from chorus.accounts.models import User
from chorus.publishing.models import Post, State
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can, membership_of


def may_publish(user: User | None, workspace: Workspace) -> bool:
    """May this person make a post go out without anyone else's approval?"""
    if user is None:
        return False
    return can(membership_of(user, workspace), Permission.PUBLISH_WITHOUT_APPROVAL)


def is_approved(post: Post) -> bool:
    return not post.needs_approval or post.approved_at is not None


def waits_on(post: Post) -> int | None:
    """Whose words wait for approval: the last contributor who changed it, else the author."""
    return post.changed_by_id or post.author_id


def note_change(post: Post, by: User | None) -> None:
    """Record that ``by`` changed ``post`` (or asked for it to go out): the rule of this module.

    From someone who may publish, a change to an approved post is their review, recorded in
    their name, unless the words waiting are their own; an unapproved post stays unapproved
    until someone presses "Approve". Variants already out are never touched.
    """
    if by is None:
        return
    if may_publish(by, post.workspace):
        _reviewed_by_publisher(post, by)
    else:
        post.needs_approval = True
        post.changed_by = by
        _withdraw(post)


def _reviewed_by_publisher(post: Post, by: User) -> None:
    if not post.needs_approval or post.approved_at is None:
        return
    if waits_on(post) != by.pk and can(membership_of(by, post.workspace), Permission.APPROVE):
        post.approved_by, post.approved_at = by, timezone.now()
        post.save(update_fields=["approved_by", "approved_at", "updated_at"])
    else:
        _withdraw(post)


def _withdraw(post: Post) -> None:
    post.approved_by, post.approved_at = None, None
    post.save(
        update_fields=["needs_approval", "changed_by", "approved_by", "approved_at", "updated_at"]
    )
    post.targets.filter(state=State.SCHEDULED).update(
        state=State.AWAITING_APPROVAL,
        held=False,
        enqueued_at=None,
        version=F("version") + 1,  # a task already queued for it finds it changed
        state_changed_at=timezone.now(),
    )
