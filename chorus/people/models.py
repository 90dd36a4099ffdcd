"""The people the brand talks with: accounts on networks (:class:`Author`) and the humans
behind them (:class:`Person`, one person linked to several accounts by hand).

Mentions, conversations, contest entries and the relations directory all point at them. The
models came from the inbox with their tables (``inbox_author``, ``inbox_person``); the move
changed Django's state only, not the database.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.workspaces.models import Workspace


class Person(models.Model):
    """One human the team knows, whatever network they write from (linked by hand)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "inbox_person"  # the table it had in the inbox, kept: the move is state only
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    """An account on a network that wrote to or about the brand."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=32)
    remote_id = models.CharField(max_length=300)
    handle = models.CharField(max_length=300, blank=True)
    display_name = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    message_count = models.PositiveIntegerField(default=0)
    # Set when the team bans this account from Chorus, cleared when they lift it: the inbox
    # offers "Ban" or "Unban", never both, and nobody has to remember who is out.
    banned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "inbox_author"  # the table it had in the inbox, kept: the move is state only
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "remote_id"], name="one_author_per_account"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.handle or self.remote_id
