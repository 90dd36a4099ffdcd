"""Conversations, their messages, and the team's rules and habits.

A :class:`Conversation` is one thread as the network names it (a post's comment thread, a DM
thread, a room); its :class:`Message` rows are unique per (channel, remote id) so polling twice,
a webhook racing a poll or a backfill overlapping a poll never stores a message twice.
Everything carries its workspace and every query filters on it (invariant 2). The people who
write them (:class:`Author`, :class:`Person`) live in :mod:`chorus.people`; imported here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.people.models import Author
from chorus.people.models import Person as Person  # moved to chorus.people; still importable here
from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Workspace


class Status(models.TextChoices):
    NEW = "new", _("New")
    PENDING = "pending", _("Pending")
    RESOLVED = "resolved", _("Resolved")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Kind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    DIRECT = "direct", _("Direct message")


class Direction(models.TextChoices):
    INCOMING = "in", _("Received")
    OUTGOING = "out", _("Sent")


class AuthorList(models.Model):
    """A named list of authors rules can test: VIPs, blocked, journalists, partners…"""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    authors = models.ManyToManyField(Author, blank=True, related_name="lists")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_author_list_name")
        ]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    color = models.CharField(_("colour"), max_length=7, default="#6b7280")  # #rrggbb, validated

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_label_name")]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    """One thread: a post's comments, a mention and its replies, a private exchange, a room."""

    # No index of their own (db_index=False): the constraint and indexes below start with them,
    # and every index is one more to update on each of ingest's writes.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="conversations", db_index=False
    )
    remote_id = models.CharField(max_length=300)  # the network's thread id
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    author = models.ForeignKey(  # who started it (for a comment thread: the first commenter)
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    preview = models.CharField(max_length=300, blank=True)  # the latest incoming text, cut
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_conversations",
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="conversations")
    # Rolled up from the messages so list views never join them.
    sentiment = models.CharField(max_length=10, blank=True)  # of the latest incoming message
    language = models.CharField(max_length=8, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    first_message_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    waiting_since = models.DateTimeField(null=True, blank=True)  # oldest unanswered incoming
    first_response_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)  # from the workspace's SLA
    # A rule said legal or PR must approve any answer before it goes out.
    reply_needs_approval = models.BooleanField(default=False)

    class Meta:
        constraints = [  # also the index of channel
            models.UniqueConstraint(
                fields=["channel", "remote_id"], name="one_conversation_per_thread"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "-last_message_at"], name="inbox_status"),
            models.Index(fields=["workspace", "-last_message_at"], name="inbox_all"),
            models.Index(
                fields=["workspace", "assignee", "-last_message_at"], name="inbox_assignee"
            ),
            models.Index(fields=["workspace", "response_due_at"], name="inbox_due"),
        ]

    def __str__(self) -> str:
        return self.preview[:60] or self.remote_id


class Message(models.Model):
    """One comment, reply, mention or direct message, with what the classifier understood."""

    # No index of their own (db_index=False): the constraint and indexes below start with them
    # (message_recent, message_thread, one_message_per_remote, message_author), and every index
    # is one more to update on each message stored.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+", db_index=False)
    remote_id = models.CharField(max_length=300)
    direction = models.CharField(
        max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    author = models.ForeignKey(
        Author,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        db_index=False,
    )
    sent_by = models.ForeignKey(  # the team member who wrote an outgoing reply
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    # What came with the text (see ingest_extras): media, poll, quoted post, edit time, content
    # warning, who else it addresses. NULL for the many messages that carry none of it, so
    # ingest writes nothing more for them.
    extras = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now)
    # What the classifier said; *_corrected marks a person's fix (the workspace model learns it).
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    confidence = models.FloatField(default=0)
    toxicity = models.FloatField(default=0)
    profanity = models.BooleanField(default=False)
    spam = models.BooleanField(default=False)  # spam_score at or over the classifier's cut-off
    spam_score = models.FloatField(default=0)  # 0..1: rules choose their own threshold
    intent = models.CharField(max_length=20, blank=True)
    sentiment_corrected = models.BooleanField(default=False)
    intent_corrected = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    # An outgoing reply is published through the dispatcher as a PostTarget (invariant 1).
    reply_target = models.ForeignKey(
        PostTarget, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "remote_id"], name="one_message_per_remote")
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_thread"),
            models.Index(fields=["workspace", "created_at"], name="message_recent"),
            models.Index(fields=["author", "created_at"], name="message_author"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def extras_value(self, key: str) -> Any:
        return (self.extras or {}).get(key) if isinstance(self.extras, dict) else None

    @property
    def media(self) -> list[dict[str, str]]:
        return list(self.extras_value("media") or [])

    @property
    def poll(self) -> dict[str, Any] | None:
        poll = self.extras_value("poll")
        if not isinstance(poll, dict):
            return None
        return {**poll, "closes_at": parse_datetime(str(poll.get("closes_at") or ""))}

    @property
    def quoted(self) -> dict[str, str] | None:
        return self.extras_value("quoted")

    @property
    def edited_at(self) -> datetime | None:
        return parse_datetime(str(self.extras_value("edited_at") or ""))


class Correction(models.Model):
    """A person fixed what the classifier said; the workspace's adapter is trained on these."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)  # "sentiment" | "intent"
    old_value = models.CharField(max_length=20, blank=True)
    new_value = models.CharField(max_length=20)
    text = models.TextField()  # kept so the model can be retrained even if the message goes
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["workspace", "field"], name="correction_field")]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class WorkspaceModel(models.Model):
    """The workspace's trained correction adapter, as bytes (npz, no pickle)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=20)
    data = models.BinaryField()
    corrections = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "field"], name="one_model_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.field} model ({self.corrections} corrections)"


class Note(models.Model):
    """An internal note on a conversation, for the team only."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class SavedReply(models.Model):
    """An answer the team reuses; ``{first_name}``-style variables are filled in per author."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_saved_reply_name")
        ]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """A moderation rule: when every condition holds, its actions run, in ``position`` order.

    Conditions and actions are lists of small dicts validated by ``inbox.rules`` (one schema in
    one place) so a new condition is code there, not a migration.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(_("enabled"), default=True)
    conditions = models.JSONField(default=list)
    actions = models.JSONField(default=list)
    stop_after = models.BooleanField(_("stop here when it matches"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class RuleAction(models.Model):
    """One automatic action a rule took: logged, shown on the conversation, undoable if possible."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, related_name="log")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="rule_actions"
    )
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, related_name="+")
    action = models.CharField(max_length=30)
    detail = models.JSONField(default=dict)  # what it did, and what undoing needs
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.action


class InboxSettings(models.Model):
    """Response-time target and business hours of a workspace."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="inbox")
    first_reply_hours = models.PositiveIntegerField(_("first reply within (hours)"), default=4)
    # {"0": ["09:00", "18:00"], …} by weekday (0 = Monday); a missing day is closed. Empty = 24/7.
    business_hours = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"inbox settings of {self.workspace_id}"


class ChannelInbox(models.Model):
    """Where polling a channel's inbox stands: cursor, interval, backfill, last error, failures."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="inbox")
    cursor = models.TextField(blank=True)
    poll_every_seconds = models.PositiveIntegerField(default=120)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    backfilled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)  # failed polls in a row; 0 after a success

    def __str__(self) -> str:
        return f"inbox of channel {self.channel_id}"
