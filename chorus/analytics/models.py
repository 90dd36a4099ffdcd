"""The history of figures, and the reports built from it.

A figure a network does not give is stored as NULL and shown as "not available", never as 0.
Every row carries its workspace; every query filters on it (invariant 2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Workspace

# The counts a network may give for one post. NULL: the network does not give it.
POST_FIGURES = (
    "likes",
    "shares",
    "replies",
    "quotes",
    "reactions",
    "views",
    "impressions",
    "reach",
    "clicks",
    "saves",
)


class PostFiguresMixin(models.Model):
    likes = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)  # reposts, boosts, forwards
    replies = models.PositiveIntegerField(null=True, blank=True)
    quotes = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    views = models.PositiveIntegerField(null=True, blank=True)
    impressions = models.PositiveIntegerField(null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True)
    clicks = models.PositiveIntegerField(null=True, blank=True)
    saves = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class PostMetrics(PostFiguresMixin):
    """One published variant's latest figures and when to read them next.

    The dashboard reads only this table (one row per published post); the history is in
    :class:`PostSnapshot`. Reads follow a decaying schedule after publishing (1 h, 6 h, 24 h,
    3 d, 7 d, 30 d): ``step`` is how many were done, ``next_read_at`` the next (NULL: done).
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target = models.OneToOneField(PostTarget, on_delete=models.CASCADE, related_name="metrics")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=32)
    published_at = models.DateTimeField()
    followers_at_publish = models.PositiveIntegerField(null=True, blank=True)
    engagements = models.PositiveIntegerField(null=True, blank=True)  # sum of the interactions
    step = models.PositiveSmallIntegerField(default=0)
    next_read_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    missing = models.BooleanField(default=False)  # deleted on the network, or hidden from us

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "published_at"], name="metrics_period"),
            models.Index(fields=["next_read_at"], name="metrics_due"),
        ]

    def __str__(self) -> str:
        return f"figures of {self.target_id}"


class PostSnapshot(PostFiguresMixin):
    """The figures of one variant as read at one moment (kept: history, not just the latest)."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target = models.ForeignKey(PostTarget, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    age_hours = models.PositiveIntegerField()  # hours after publishing when read

    class Meta:
        indexes = [models.Index(fields=["target", "taken_at"], name="snapshot_history")]

    def __str__(self) -> str:
        return f"figures of {self.target_id} at {self.taken_at:%Y-%m-%d %H:%M}"


class ChannelDay(models.Model):
    """One channel's audience on one day (in the workspace's time zone)."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    followers = models.PositiveIntegerField(null=True, blank=True)  # members for a room or chat
    posts_published = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)  # other audience figures the network gives

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "day"], name="one_channel_day")]
        indexes = [models.Index(fields=["workspace", "day"], name="channel_day_period")]

    def __str__(self) -> str:
        return f"{self.channel_id} on {self.day}"


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly, on the 2nd, for the previous month")
    WEEKLY = "weekly", _("Weekly, on Mondays, for the previous week")


class ReportSchedule(models.Model):
    """A report built and e-mailed on its own, to members and to outside addresses (clients)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    frequency = models.CharField(_("frequency"), max_length=10, choices=ReportFrequency.choices)
    sections = models.JSONField(_("sections"), default=list)
    formats = models.JSONField(_("formats"), default=list)  # "pdf", "csv", "pptx"
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members")
    )
    outside_addresses = models.TextField(_("outside addresses"), blank=True)  # one per line
    is_active = models.BooleanField(_("active"), default=True)
    next_run_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """One built report over a period: kept in the archive to download again."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()  # inclusive
    language = models.CharField(max_length=8)
    sections = models.JSONField(default=list)
    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ReportFile(models.Model):
    """One format of a report, stored (PDF, CSV zip, PPTX)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8)
    file = models.FileField(upload_to="reports/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.format}"
