"""Engagement: the relations pipeline's tables.

A :class:`Relation` is one person (``people.Person``, with their linked accounts) the team is
building a relation with: where they stand in the pipeline, how to reach them outside the
networks, and the topics they write about. Everything that happens to the relation is a
:class:`RelationEvent` (stage changes, notes, outreach, imports), so the person's page tells the
whole story; follow-ups are tasks with a due date and one assignee.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace


class Stage(models.TextChoices):
    SPOTTED = "spotted", _("Spotted")
    CONTACTED = "contacted", _("Contacted")
    DISCUSSING = "discussing", _("In discussion")
    PARTNER = "partner", _("Partner")
    PAUSED = "paused", _("Paused")


class Relation(models.Model):
    """One person in the relations directory, at one stage of the pipeline."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="relation")
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.SPOTTED
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website or blog"), max_length=500, blank=True)
    # As the team writes them (comma-separated); the terms they use come from their mentions.
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["workspace", "stage"], name="relation_stage")]

    def __str__(self) -> str:
        return self.person.name

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class EventKind(models.TextChoices):
    ADDED = "added", _("Added")
    STAGE = "stage", _("Stage changed")
    NOTE = "note", _("Note")
    OUTREACH = "outreach", _("Outreach")
    IMPORTED = "imported", _("Imported")
    LINKED = "linked", _("Account linked")
    UNLINKED = "unlinked", _("Account unlinked")


class RelationEvent(models.Model):
    """One line of a relation's history, written by the team or by Chorus."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    text = models.TextField(blank=True)
    # For a stage change: from and to (the stage keys).
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["relation", "-at"], name="relation_history")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    @property
    def from_label(self) -> str:
        return str(Stage(self.from_stage).label) if self.from_stage in Stage.values else ""

    @property
    def to_label(self) -> str:
        return str(Stage(self.to_stage).label) if self.to_stage in Stage.values else ""


class FollowUp(models.Model):
    """A task about one relation, due on a day, for one member of the team."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("what to do"), max_length=300)
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["workspace", "assignee", "due_on"], name="follow_up_due"),
        ]

    def __str__(self) -> str:
        return self.text


class OutreachTemplate(models.Model):
    """A first message the team reuses; {name}, {handle} and {brand} are filled per person."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_outreach_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class DismissedVoice(models.Model):
    """An account the team does not want suggested again as a top voice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "author"], name="one_dismissal_per_author")
        ]

    def __str__(self) -> str:
        return str(self.author_id)
