"""Crisis mode: the workspace's playbook, and each crisis with its room.

A crisis copies the playbook's checklist when it opens (later edits to the playbook do not
rewrite a crisis under way), keeps a timeline of what happened and who did it, the mentions the
team saved, the saved replies pinned for it, and one holding statement that goes out only once
every named approver approved its current words.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.channels.models import Channel
from chorus.inbox.models import SavedReply
from chorus.listening.models.alerts import Alert
from chorus.listening.models.mentions import Mention
from chorus.publishing.models import Post
from chorus.workspaces.models import Workspace

USER = settings.AUTH_USER_MODEL


class Playbook(models.Model):
    """What the team agreed to do when a crisis comes: the checklist, who to call, what not to
    say. One per workspace, edited calmly, before it is needed."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    what_not_to_say = models.TextField(_("what not to say"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"playbook of {self.workspace_id}"


class PlaybookStep(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ContactKind(models.TextChoices):
    LEGAL = "legal", _("Legal")
    PRESS = "press", _("Press relations")
    CALL = "call", _("Who to call")


class PlaybookContact(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class CrisisStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("crisis status", "Open")
    CLOSED = "closed", pgettext_lazy("crisis status", "Closed")


class Crisis(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=6, choices=CrisisStatus.choices, default="open")
    opened_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="crises"
    )
    closed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)  # the team's own words at closing
    # Opening paused publishing (it was not paused already): closing offers to resume it.
    publishing_was_paused = models.BooleanField(default=False)
    what_not_to_say = models.TextField(blank=True)  # copied from the playbook at opening
    pinned_replies = models.ManyToManyField(SavedReply, blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["workspace", "status"], name="crisis_open")]
        # One crisis under way per workspace, even when two people open one at the same time.
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], condition=models.Q(status="open"), name="one_open_crisis"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CrisisStatus.OPEN


class EventKind(models.TextChoices):
    OPENED = "opened", _("Crisis opened")
    ALERT = "alert", _("Alert")
    MENTION = "mention", _("Mention saved")
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")
    NOTE = "note", _("Note")
    SUBMITTED = "submitted", _("Statement submitted")
    APPROVED = "approved", _("Statement approved")
    CHANGES = "changes", _("Changes requested")
    PUBLISHED = "published", _("Statement published")
    PAUSED = "paused", _("Publishing paused")
    RESUMED = "resumed", _("Publishing resumed")
    STEP_DONE = "step_done", _("Step done")
    CLOSED = "closed", _("Crisis closed")


class CrisisEvent(models.Model):
    """One line of the timeline. ``actor_name`` names an outside approver (no account).

    ``text`` holds only what people wrote or named (a note, a step, channel names): the words
    Chorus adds come from ``kind``, so each reader sees them in their own language."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%H:%M}"


class CrisisTask(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="tasks")
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class CrisisMention(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="saved")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    saved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "mention"], name="mention_saved_once")
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} in {self.crisis_id}"


class HoldingStatement(models.Model):
    """The crisis's one public word. ``revision`` grows with every change of text or channels,
    and an approval counts only for the revision it was given on."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    crisis = models.OneToOneField(Crisis, on_delete=models.CASCADE, related_name="statement")
    text = models.TextField(_("statement"))
    channels = models.ManyToManyField(Channel, blank=True, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    post = models.ForeignKey(  # what went out, once published
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    CHANGES = "changes", _("Changes requested")


class StatementApproval(models.Model):
    """One named approver: a member (``member``), or someone outside Chorus (name and e-mail)
    who decides through a link. Only the link's hash is stored; it expires and works once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(
        HoldingStatement, on_delete=models.CASCADE, related_name="approvals"
    )
    member = models.ForeignKey(USER, on_delete=models.CASCADE, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, default="pending")
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # the statement's revision decided on
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    token_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or str(self.member_id)

    @property
    def is_outside(self) -> bool:
        return self.member_id is None
