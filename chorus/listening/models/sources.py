"""Where the workspace listens: a feed, a hashtag on an instance, a search on a network."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace


class SourceHealth(models.TextChoices):
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing, retrying")
    PAUSED = "paused", _("Paused")


class ListeningSource(models.Model):
    """One place polled for posts. ``kind`` names a package in ``chorus.listening.sources``.

    The cursor (how far the source has been read) is saved in the same transaction as the batch
    it led to, so a crash never skips nor doubles a batch. Failures back off per source; one
    source failing never stops the others.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)  # a key of listening.sources.registry
    name = models.CharField(_("name"), max_length=120)
    # What to read, per kind: {"url": …} for a feed, {"hashtag": …} or {"terms": …} for a
    # search. Nothing secret here: keys of the operator's apps are in settings.
    settings = models.JSONField(default=dict, blank=True)
    # The connected account used to read (Mastodon's instance, Bluesky's session), if any.
    channel = models.ForeignKey(
        Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cursor = models.JSONField(default=dict, blank=True)  # since-id, ETag, Last-Modified…
    is_active = models.BooleanField(_("active"), default=True)
    poll_every_seconds = models.PositiveIntegerField(default=300)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    health = models.CharField(max_length=10, choices=SourceHealth.choices, default=SourceHealth.OK)
    failures = models.PositiveIntegerField(default=0)  # in a row; drives the backoff
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # redacted, in words a person can act on
    last_batch_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
