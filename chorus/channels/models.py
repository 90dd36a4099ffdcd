"""A connected account on a network, with its encrypted credentials and its health."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.core.crypto import decrypt_json, encrypt_json
from chorus.workspaces.models import Workspace


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    DISCONNECTED = "disconnected", _("Disconnected")


class ChannelQuerySet(models.QuerySet["Channel"]):
    def of(self, workspace: Workspace) -> ChannelQuerySet:
        """Every read of channels goes through here (invariant 2)."""
        return self.filter(workspace=workspace)

    def usable(self) -> ChannelQuerySet:
        return self.filter(status=ChannelStatus.ACTIVE)


class Channel(models.Model):
    """One account on one network, connected by a workspace.

    Credentials are stored encrypted (invariant 4) and only read through :attr:`credentials`;
    nothing secret appears in ``repr``, ``str``, forms or logs.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channels")
    network = models.CharField(_("network"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    remote_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    settings = models.JSONField(default=dict, blank=True)  # base_url, room… (nothing secret)
    encrypted_credentials = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # in words a person can act on
    rate_limit_remaining = models.IntegerField(null=True, blank=True)
    rate_limit_reset_at = models.DateTimeField(null=True, blank=True)
    reconnect_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "remote_id"], name="one_channel_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.network})"

    def __repr__(self) -> str:
        return f"<Channel {self.pk} {self.network}:{self.handle or self.remote_id} {self.status}>"

    @property
    def credentials(self) -> dict[str, Any]:
        return decrypt_json(self.encrypted_credentials)

    @credentials.setter
    def credentials(self, value: dict[str, Any]) -> None:
        self.encrypted_credentials = encrypt_json(value)

    @property
    def is_waiting_for_rate_limit(self) -> bool:
        return bool(self.rate_limit_reset_at and self.rate_limit_reset_at > timezone.now())
