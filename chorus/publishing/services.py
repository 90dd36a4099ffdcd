"""Publishing verbs: create_post, save_composition, edit_text, customise, schedule_post,
submit_for_approval, approve, request_changes, add_comment, reschedule, publish_now, drop,
pause_workspace, resume_workspace; ``ensure_publishable`` is the server's last word on a variant.

Views, the API and the CLI call these; they never change a target's state themselves. Every
verb takes the workspace's own objects, and every lookup is filtered by workspace (invariant 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing.models import (
    Media,
    Post,
    PostComment,
    PostTarget,
    State,
    WorkspacePublishing,
)
from chorus.publishing.validation import Problem, has_errors, problems_for
from chorus.workspaces.models import Membership, Workspace
from chorus.workspaces.permissions import Permission, can


class PublishingRuleBroken(Exception):
    """A request that breaks a publishing rule; the message is for the person who asked."""


class VariantProblems(PublishingRuleBroken):
    """Some variants have errors that stop them going out; ``problems`` maps channel id to them."""

    def __init__(self, problems: dict[int, list[Problem]]) -> None:
        self.problems = problems
        super().__init__(_("Fix the problems shown on each channel before publishing."))


# States in which a person may still change when or what is published.
EDITABLE = (State.DRAFT, State.AWAITING_APPROVAL, State.SCHEDULED, State.FAILED)


def membership_of(user: User, workspace: Workspace) -> Membership | None:
    return Membership.objects.filter(workspace=workspace, user=user).first()


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
    _must_be_the_workspaces(workspace, media)
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


def _must_be_the_workspaces(workspace: Workspace, media: Sequence[Media]) -> None:
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
def schedule_post(post: Post, when: datetime) -> list[PostTarget]:
    """Schedule every variant at ``when`` (an aware time; stored in UTC).

    A post that needs approval waits for it; it is scheduled the moment it is approved.
    """
    if timezone.is_naive(when):
        raise PublishingRuleBroken(_("A time without a time zone is ambiguous."))
    state = State.SCHEDULED if is_approved(post) else State.AWAITING_APPROVAL
    targets = list(post.targets.filter(state__in=EDITABLE))
    for target in targets:
        _set_schedule(target, state, when)
    return targets


def _set_schedule(target: PostTarget, state: str, when: datetime) -> None:
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
    from chorus.publishing import sweeper, tasks

    due = target.due_at
    if due and due <= timezone.now() + sweeper.LOOKAHEAD:
        PostTarget.objects.filter(pk=target.pk).update(enqueued_at=timezone.now())
        transaction.on_commit(lambda: tasks.enqueue(target.pk, due))


def is_approved(post: Post) -> bool:
    return not post.needs_approval or post.approved_at is not None


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
        _set_schedule(target, State.SCHEDULED, target.scheduled_at or timezone.now())
    return waiting


def reschedule(target: PostTarget, when: datetime) -> PostTarget:
    _must_be_editable(target)
    if timezone.is_naive(when):
        raise PublishingRuleBroken(_("A time without a time zone is ambiguous."))
    state = State.SCHEDULED if is_approved(target.post) else State.AWAITING_APPROVAL
    _set_schedule(target, state, when)
    return target


def publish_now(target: PostTarget) -> PostTarget:
    return reschedule(target, timezone.now())


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
    )
    held.update(held=True, version=F("version") + 1)
    return list(
        PostTarget.objects.filter(workspace=workspace, state=State.SCHEDULED, held=True)
        .select_related("post", "channel")
        .order_by("scheduled_at")
    )


def targets_of(workspace: Workspace):  # type: ignore[no-untyped-def]
    """The one door to a workspace's variants for views and the API."""
    return PostTarget.objects.filter(workspace=workspace).select_related("post", "channel")


# -- the composer ----------------------------------------------------------------------------

# Options the composer owns; any other option a variant carries (set through the API, say) is kept.
COMPOSER_OPTIONS = ("thread", "first_comment", "content_warning", "visibility", "poll")


@dataclass
class VariantInput:
    """What the person set for one channel: its own text (when customised) and its options."""

    text: str = ""
    customised: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Composition:
    """Everything the composer sends: written once, adapted per channel."""

    text: str
    channels: list[Channel]
    media: list[Media] = field(default_factory=list)
    variants: dict[int, VariantInput] = field(default_factory=dict)  # by channel id

    def variant_for(self, channel: Channel) -> tuple[str, dict[str, Any]]:
        """The text and options this channel would publish."""
        variant = self.variants.get(channel.pk) or VariantInput()
        text = variant.text if variant.customised else self.text
        options = dict(variant.options)
        if not variant.customised:
            options.pop("thread", None)  # a thread is cut for one network: it is a customisation
        return text, options

    def problems(self) -> dict[int, list[Problem]]:
        return {
            channel.pk: problems_for(channel, *self._text_media_options(channel))
            for channel in self.channels
        }

    def _text_media_options(self, channel: Channel) -> tuple[str, list[Media], dict[str, Any]]:
        text, options = self.variant_for(channel)
        return text, self.media, options


@transaction.atomic
def save_composition(
    workspace: Workspace, author: User, composition: Composition, post: Post | None = None
) -> Post:
    """Create or update a post from the composer, all or nothing. Variants that already went
    out (publishing, published…) are left as they are."""
    _must_be_the_workspaces(workspace, composition.media)
    before = None
    if post is None:
        post = create_post(workspace, author, composition.text, composition.channels)
    else:
        if not can(membership_of(author, workspace), Permission.COMPOSE):
            raise PublishingRuleBroken(_("You cannot write posts in this workspace."))
        before = _content_of(post)
        edit_text(post, composition.text)
        _follow_channel_choice(post, composition.channels)
    for target in post.targets.filter(state__in=EDITABLE).select_related("channel"):
        _save_variant(target, composition)
    if before is not None and _content_of(post) != before:
        _recheck_approval(post, author)
    return post


def _content_of(post: Post) -> list[Any]:
    """What an approver looked at: the text and, per channel, the words, options and files."""
    variants = post.targets.order_by("channel_id").prefetch_related("media")
    return [
        post.text,
        *[(t.channel_id, t.text, t.options, sorted(m.pk for m in t.media.all())) for t in variants],
    ]


def _recheck_approval(post: Post, editor: User) -> None:
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


def _follow_channel_choice(post: Post, channels: list[Channel]) -> None:
    if any(channel.workspace_id != post.workspace_id for channel in channels):
        raise PublishingRuleBroken(_("One of the channels does not belong to this workspace."))
    wanted = {channel.pk for channel in channels}
    post.targets.filter(state__in=EDITABLE).exclude(channel_id__in=wanted).delete()
    have = set(post.targets.values_list("channel_id", flat=True))
    PostTarget.objects.bulk_create(
        PostTarget(workspace=post.workspace, post=post, channel=channel, text=post.text)
        for channel in channels
        if channel.pk not in have
    )


def _save_variant(target: PostTarget, composition: Composition) -> None:
    variant = composition.variants.get(target.channel_id) or VariantInput()
    text, options = composition.variant_for(target.channel)
    kept = {k: v for k, v in target.options.items() if k not in COMPOSER_OPTIONS}
    target.text, target.customised = text, variant.customised
    target.options = kept | options
    target.save(update_fields=["text", "customised", "options"])
    target.media.set(composition.media)


def problems_of_target(target: PostTarget) -> list[Problem]:
    return problems_for(target.channel, target.text, list(target.media.all()), target.options)


def ensure_publishable(targets: Iterable[PostTarget]) -> None:
    """The server's last word: a variant with an error does not go out (drafts may have them)."""
    found = {target.channel_id: problems_of_target(target) for target in targets}
    blocking = {channel: problems for channel, problems in found.items() if has_errors(problems)}
    if blocking:
        raise VariantProblems(blocking)


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


def go_out(post: Post, how: str, when: datetime | None = None) -> list[PostTarget]:
    """Send a saved post on its way: "publish" now, "schedule" at ``when``, "queue" into each
    channel's next free slot, or "submit" for approval. Variants with errors stop it all."""
    waiting = list(post.targets.filter(state__in=EDITABLE).select_related("channel"))
    ensure_publishable(waiting)
    if how == "publish":
        return schedule_post(post, timezone.now())
    if how == "schedule" and when is not None:
        return schedule_post(post, when)
    if how == "submit":
        return submit_for_approval(post, when)
    if how == "queue":
        from chorus.publishing.queue import add_to_queue  # the planning area's; imports us

        return add_to_queue(post)
    raise PublishingRuleBroken(_("Choose how to publish this post."))
