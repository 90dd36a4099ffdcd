"""Posts, their per-channel variants (targets), the attempt log and the workspace's pause switch.

A :class:`PostTarget` is what gets published: one per (post, channel). Its ``state`` moves only
through the dispatcher and the services, and every move after a claim is a conditional UPDATE on
``version`` (invariant 1), so two workers can never both act on the same target.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    DELETED = "deleted", _("Deleted")  # taken down by a person: kept for its log, never sent


class PostKind(models.TextChoices):
    POST = "post", _("Post")
    REPLY = "reply", _("Reply")  # an answer written in the inbox, sent by the same dispatcher


class Post(models.Model):
    """What a person wrote once; each channel gets its own variant (a PostTarget)."""

    kind = models.CharField(max_length=10, choices=PostKind.choices, default=PostKind.POST)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_posts",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Whose change waits for approval when it is not the author's (a contributor editing
    # someone else's post): that person may not approve it, the author may.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Deleted by a person: kept (with its variants' log) but out of every list.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60] or f"post {self.pk}"


class Media(models.Model):
    """An image or video of the workspace's library, reusable across posts."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to="media/%Y/%m/")
    # How people find it again in the library and in CSV imports ("library name").
    name = models.CharField(_("name"), max_length=200, blank=True)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alt_text = models.TextField(_("description for people who cannot see it"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "name"], name="media_name")]

    def __str__(self) -> str:
        return self.file.name


class PostTarget(models.Model):
    """The variant of a post for one channel, and its way to publication."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="targets")
    text = models.TextField(blank=True)
    customised = models.BooleanField(default=False)  # edited by hand: the main text no longer flows
    options = models.JSONField(default=dict, blank=True)
    media = models.ManyToManyField(Media, blank=True, related_name="targets")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)  # UTC, as the person chose it
    # When the dispatcher should next try: scheduled_at at first, later after a backoff or a
    # rate-limit wait. Kept apart so lateness is always measured from the person's time.
    due_at = models.DateTimeField(null=True, blank=True)
    held = models.BooleanField(default=False)  # due while publishing was paused: a person decides
    # A crisis's approved holding statement: the one thing that goes out while paused.
    despite_pause = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    # The same key on every attempt, so a network that takes one never makes a second post.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # start of the current lease
    # The worker process that last took it (from the queue, or as its claim): if that worker
    # falls silent, what it held is handed back in seconds rather than after the lease.
    taken_by = models.CharField(max_length=200, blank=True, default="")
    enqueued_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_variant_per_channel")
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="target_due"),
            models.Index(fields=["channel", "state"], name="target_channel_state"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel} ({self.state})"


class PostPart(models.Model):
    """A part published after a variant's own post: a thread's next post, or its first comment.

    The variant's text is part 1. The rows are made when part 1 is published (the person may
    edit the thread in ``options`` until then) and each then moves like a variant, claimed and
    moved by the dispatcher's conditional UPDATEs on ``version`` (invariant 1), one part at a time
    in ``position`` order: a part that failed stops the ones after it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(PostTarget, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()  # 2, 3…; the first comment comes last
    answers = models.PositiveSmallIntegerField(default=1)  # the position it replies to
    is_comment = models.BooleanField(default=False)
    text = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SCHEDULED)
    due_at = models.DateTimeField(null=True, blank=True)  # later after a backoff or a rate limit
    version = models.PositiveIntegerField(default=0)
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["target", "position"], name="one_part_per_position")
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="part_due")]

    def __str__(self) -> str:
        return f"part {self.position} of {self.target_id} ({self.state})"

    @classmethod
    def planned_for(cls, target: PostTarget, due_at: datetime | None = None) -> list[PostPart]:
        """The parts a variant's options ask for, not saved: ``thread`` (parts 2, 3…, each
        answering the one before) then ``first_comment`` (answering part 1)."""
        options = target.options or {}
        thread = [str(text) for text in options.get("thread") or [] if str(text).strip()]
        planned = [(text, i + 1, False) for i, text in enumerate(thread)]
        if comment := str(options.get("first_comment") or "").strip():
            planned.append((comment, 1, True))
        return [
            cls(
                workspace_id=target.workspace_id,
                target=target,
                position=n,
                answers=answers,
                is_comment=is_comment,
                text=text,
                due_at=due_at,
            )
            for n, (text, answers, is_comment) in enumerate(planned, start=2)
        ]


class Outcome(models.TextChoices):
    PUBLISHED = "published", _("Published")
    RETRY = "retry", _("Will try again")
    RATE_LIMITED = "rate_limited", _("Waiting for the network")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    RECONCILED = "reconciled", _("Found on the network")
    DELETED = "deleted", _("Deleted")


class PublishAttempt(models.Model):
    """One try at publishing a target: when, how it ended, what the network said."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(PostTarget, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    message = models.TextField(blank=True)
    late_by_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def note(
        cls, target: PostTarget, outcome: str, message: str, at: datetime | None = None
    ) -> PublishAttempt:
        """Log something that happened to a target at one instant (no request timed)."""
        at = at or timezone.now()
        return cls.objects.create(
            workspace_id=target.workspace_id,
            target=target,
            started_at=at,
            finished_at=at,
            outcome=outcome,
            message=message,
        )


class WorkspacePublishing(models.Model):
    """Per-workspace publishing switches, kept here so workspaces need not know about posts."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="publishing")
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A post more overdue than this (after downtime) fails rather than going out surprisingly late.
    late_limit_minutes = models.PositiveIntegerField(default=24 * 60)

    def __str__(self) -> str:
        return f"publishing of {self.workspace}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class QueueSlot(models.Model):
    """A weekly time at which a channel's queue publishes, in the workspace's wall-clock time.

    Stored as weekday + local time, never as a UTC instant, so "Tuesday 09:00" stays 09:00 when
    the clocks change (invariant 6); the UTC instant is computed per date when a post is queued.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="queue_slots")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday, as datetime.weekday()
    time = models.TimeField()

    class Meta:
        ordering = ["weekday", "time"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "weekday", "time"], name="one_slot_per_time")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.weekday} {self.time:%H:%M}"


class PostComment(models.Model):
    """A note the team leaves on a post (review remarks); never published."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class HashtagGroup(models.Model):
    """A named set of hashtags inserted together (#launch #brand #fr)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    hashtags = models.TextField(_("hashtags"))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_hashtag_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Snippet(models.Model):
    """A saved piece of text (signature, legal line, call to action) inserted in the composer."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_snippet_name")
        ]

    def __str__(self) -> str:
        return self.name
