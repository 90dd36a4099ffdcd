"""Approvals: a contributor's post waits for someone who may approve it before it goes out.

Verbs: submit_for_approval, approve, request_changes, add_comment. What any change does to an
approval is :func:`.approval_rule.note_change`. Nobody approves their own words, and an approval
covers the words the reviewer saw, not whatever the post becomes afterwards.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.publishing.approval_rule import is_approved, membership_of, note_change, waits_on
from chorus.publishing.models import Post, PostComment, PostTarget, State
from chorus.publishing.services import (
    EDITABLE,
    PublishingRuleBroken,
    schedule_post,
    set_schedule,
    wait_for_approval,
)
from chorus.workspaces.permissions import Permission, can
from chorus.workspaces.services import notify


@transaction.atomic
def submit_for_approval(
    post: Post, when: datetime | None = None, *, by: User | None = None
) -> list[PostTarget]:
    """A contributor hands the post over; it goes out at ``when`` (or on approval) once approved."""
    if when is not None:
        return schedule_post(post, when, by=by)
    note_change(post, by if by is not None else post.author)
    if is_approved(post):
        return schedule_post(post, timezone.now(), by=by)
    targets = list(post.targets.filter(state__in=EDITABLE))
    for target in targets:
        wait_for_approval(target)
    return targets


@transaction.atomic
def approve(post: Post, by: User) -> list[PostTarget]:
    """Approve a contributor's post; nobody approves their own words (the author of the change
    waiting, see ``approval_rule.waits_on``). Waiting variants get scheduled."""
    if waits_on(post) == by.pk:
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
    """An approver sends the post back as a draft, saying what to change; the person whose words
    waited is told, in the app and by e-mail."""
    if not comment.strip():
        raise PublishingRuleBroken(_("Say what needs to change."))
    if waits_on(post) == by.pk:
        raise PublishingRuleBroken(_("Someone else must review your post."))
    if not can(membership_of(by, post.workspace), Permission.APPROVE):
        raise PublishingRuleBroken(_("Only an editor, admin, owner or client can approve posts."))
    post.targets.filter(state=State.AWAITING_APPROVAL).update(
        state=State.DRAFT,
        held=False,
        version=F("version") + 1,
        state_changed_at=timezone.now(),
    )
    post.approved_by, post.approved_at = None, None
    post.save(update_fields=["approved_by", "approved_at", "updated_at"])
    remark = add_comment(post, by, comment)
    _tell_changes_requested(post, by)
    return remark


def _tell_changes_requested(post: Post, by: User) -> None:
    waiting_on = waits_on(post)
    person = User.objects.filter(pk=waiting_on).first() if waiting_on else None
    if person is None or person.pk == by.pk:
        return
    excerpt = Truncator(post.text).chars(60)
    reviewer = str(by)
    # The person told may have changed someone else's post: "your post" would be untrue.
    mine = person.pk == post.author_id
    notify(
        post.workspace,
        [person],
        lambda: (
            (
                _("%(reviewer)s asked for changes to your post “%(excerpt)s”; it is a draft again.")
                if mine
                else _(
                    "%(reviewer)s asked for changes to your change to the post “%(excerpt)s”; it "
                    "is a draft again."
                )
            )
            % {"reviewer": reviewer, "excerpt": excerpt}
        ),
        link=f"/publishing/posts/{post.pk}/#comments",
        email_subject=lambda: (
            _("Changes requested on your post") if mine else _("Changes requested on a post")
        ),
    )


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
