"""A listening query: what the brand wants to hear about, written in a small query language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.workspaces.models import Workspace


class QueryKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    PRODUCT = "product", _("Product")
    PERSON = "person", _("Person")
    CAMPAIGN = "campaign", _("Campaign")
    COMPETITOR = "competitor", _("Competitor")


class ListeningQuery(models.Model):
    """Words, "exact phrases", #hashtags, @handles and site:domains joined by AND / OR / NOT.

    ``expression`` is the text the person wrote; ``chorus.listening.query_language`` parses it
    (a clear error when it cannot) and the matcher compiles every active query of every
    workspace together, so a post is matched once against all of them.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=QueryKind.choices)
    expression = models.TextField(_("query"))
    # ISO 639-1 codes; empty means every language.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Source rows this query listens to; none means every source of the workspace.
    sources = models.ManyToManyField(
        "listening.ListeningSource", blank=True, related_name="queries", verbose_name=_("sources")
    )
    exclude_own_accounts = models.BooleanField(_("leave out our own accounts"), default=True)
    # Handles (one per line, without @) whose posts never count, e.g. a reseller's bot.
    excluded_authors = models.TextField(_("leave out these authors"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Spike alerts: at least this many mentions in a window before an alert can fire, and this
    # long between two alerts of the same query.
    alert_min_count = models.PositiveIntegerField(_("minimum mentions for an alert"), default=5)
    alert_cooldown_minutes = models.PositiveIntegerField(_("minutes between alerts"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_query_name")]

    def __str__(self) -> str:
        return self.name
