"""Engagement: contests and their draws' tables.

A contest lives draft -> open -> closed -> drawn. What it committed to when it opened (the spec
and its SHA-256) never changes afterwards, the frozen entries never change after closing, and the
draw is stored once. The public certificate is built from these columns
(``contests.certificate_of``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Workspace

USER = settings.AUTH_USER_MODEL


class ContestStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contest status", "Draft")
    OPEN = "open", pgettext_lazy("contest status", "Open")
    CLOSED = "closed", pgettext_lazy("contest status", "Closed")
    DRAWN = "drawn", pgettext_lazy("contest status", "Drawn")


class RandomnessSource(models.TextChoices):
    DRAND = "drand", _("drand public beacon (anyone can check it)")
    SECRET = "secret", _("Secret seed kept by Chorus, revealed at the draw")


class Contest(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # The certificate's address and the spec's "contest": unguessable, unlike the primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    prizes = models.TextField(_("prizes"))
    rules_language = models.CharField(_("language of the rules"), max_length=2, default="en")
    rules_text = models.TextField(_("rules"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    winners = models.PositiveIntegerField(_("winners"), default=1)
    alternates = models.PositiveIntegerField(_("alternates"), default=1)
    randomness_source = models.CharField(
        _("randomness"),
        max_length=8,
        choices=RandomnessSource.choices,
        default=RandomnessSource.DRAND,
    )
    # Where entries come from: answers to our published posts (inbox), mentions of a hashtag.
    posts = models.ManyToManyField(
        PostTarget, blank=True, related_name="+", verbose_name=_("posts")
    )
    hashtag = models.CharField(_("hashtag"), max_length=100, blank=True)
    # Conditions and exclusions.
    keyword = models.CharField(_("keyword the entry must contain"), max_length=100, blank=True)
    min_account_age_days = models.PositiveIntegerField(
        _("minimum account age (days)"), null=True, blank=True
    )
    team_handles = models.TextField(_("team members' accounts"), blank=True)
    blocklist = models.TextField(_("blocked handles"), blank=True)
    checked_by_hand = models.TextField(_("conditions checked by hand"), blank=True)
    status = models.CharField(max_length=8, choices=ContestStatus.choices, default="draft")
    # The commitment, set once when the contest opens.
    spec = models.JSONField(null=True, blank=True)
    commitment = models.CharField(max_length=64, blank=True)
    encrypted_secret = models.TextField(blank=True, editable=False)  # chorus.core.crypto
    # Frozen at closing.
    entries = models.JSONField(null=True, blank=True)
    entries_sha256 = models.CharField(max_length=64, blank=True)
    # The draw, stored once.
    seed = models.CharField(max_length=128, blank=True)  # hex
    proof = models.JSONField(null=True, blank=True)
    picks = models.JSONField(null=True, blank=True)
    draw_error = models.TextField(blank=True)  # why the draw waits (the drand round not yet out)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == ContestStatus.DRAFT

    def handles(self, field: str) -> set[str]:
        """A list of handles typed one per line or comma-separated, compared without '@'."""
        raw = getattr(self, field).replace(",", "\n")
        return {h.strip().lstrip("@").lower() for h in raw.splitlines() if h.strip()}

    def hand_checks(self) -> list[str]:
        return [line.strip() for line in self.checked_by_hand.splitlines() if line.strip()]


class EntryExclusion(models.Model):
    """A person took an entrant out by hand, with a reason. Deleting it restores them."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="exclusions")
    entry_id = models.CharField(max_length=400)  # network:author_id
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "entry_id"], name="one_exclusion_per_entry")
        ]

    def __str__(self) -> str:
        return self.entry_id


class Substitution(models.Model):
    """A winner replaced by the next alternate; listed on the certificate, never changing picks."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="substitutions")
    replaced = models.CharField(max_length=400)
    replacement = models.CharField(max_length=400)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.replaced} -> {self.replacement}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Contest created")
    EDITED = "edited", _("Contest edited")
    OPENED = "opened", _("Opened: commitment published")
    CLOSED = "closed", _("Closed: entries frozen")
    DRAW_WAITING = "waiting", _("Draw waiting for the randomness")
    DRAWN = "drawn", _("Winners drawn")
    EXCLUDED = "excluded", _("Entry excluded")
    RESTORED = "restored", _("Entry restored")
    SUBSTITUTED = "substituted", _("Winner replaced by an alternate")
    TOLD = "told", _("Winner told")


class ContestEvent(models.Model):
    """The contest's timeline: who did what, when (detail: the entry and reason, in their words)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    detail = models.CharField(max_length=800, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.kind
