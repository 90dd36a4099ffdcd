"""Spike alerts, and where each one goes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.listening.models.queries import ListeningQuery
from chorus.workspaces.models import Membership, Workspace


class AlertKind(models.TextChoices):
    VOLUME = "volume", _("Mention volume")
    NEGATIVE = "negative", _("Negative mentions")


class Alert(models.Model):
    """A query's count in a window crossed what its history makes likely.

    Everything a person needs to judge it is stored with it: the window, the count, the
    baseline, the threshold, the formula and the mentions, terms and authors behind it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    baseline = models.FloatField()  # expected count for this window at this hour of the week
    threshold = models.FloatField()  # the count from which it alerts
    formula = models.CharField(max_length=300)  # the test used, in words and symbols
    # Top mention ids, terms and authors behind it, as stored when it fired.
    explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The stored_at of the mention that crossed the threshold: alert latency is measured from it.
    crossed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["query", "-created_at"], name="alert_cooldown")]

    def __str__(self) -> str:
        # In the current time zone (the workspace's on its pages), as every time beside it.
        start, end = timezone.localtime(self.window_start), timezone.localtime(self.window_end)
        return f"{self.query}: {self.count} in {start:%H:%M}–{end:%H:%M}"


class AlertPreference(models.Model):
    """Which alerts reach one member, and how (in the app always; e-mail if they wish)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="alert_preference"
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    # Query ids; empty means every query of the workspace.
    queries = models.ManyToManyField(ListeningQuery, blank=True, related_name="+")
    negative_only = models.BooleanField(_("only negative spikes"), default=False)

    def __str__(self) -> str:
        return f"alerts of {self.membership_id}"


class DestinationKind(models.TextChoices):
    WEBHOOK = "webhook", _("Outgoing webhook (signed)")
    CHANNEL = "channel", _("Message to one of our channels")


class AlertDestination(models.Model):
    """A team place every alert of the workspace is sent to: a signed webhook, or a message in
    the team's own Matrix room, Telegram chat or Discord channel (a connected channel)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DestinationKind.choices)
    url = models.URLField(max_length=500, blank=True)  # webhook
    encrypted_secret = models.TextField(blank=True, editable=False)  # webhook signing key
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.url or self.channel_id}"
