"""Engagement: polls' and open questions' tables.

A poll is a publishing post with options: the post goes out through the ordinary flow
(approval, dispatcher) and each of its variants gets a :class:`PollTally`, the count as that
network gives it. An open question is a post whose inbox replies make a board; the team stars
the best answers to quote back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.inbox.models import Message
from chorus.publishing.models import Post, PostTarget
from chorus.workspaces.models import Workspace


class Poll(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="poll")
    question = models.TextField(_("question"))
    options = models.JSONField(default=list)  # the choices' texts, in order
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # The "here are the results" post drafted at closing, waiting for approval.
    results_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="poll_open_closing")]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CountedBy(models.TextChoices):
    NATIVE = "native", _("the network's own poll")
    REACTIONS = "reactions", _("reactions, one emoji per choice")
    REPLIES = "replies", _("replies naming a choice")


class PollTally(models.Model):
    """One network's count for a poll: one row per variant (channel) of the poll's post."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    target = models.OneToOneField(PostTarget, on_delete=models.CASCADE, related_name="+")
    counted_by = models.CharField(max_length=10, choices=CountedBy.choices)
    # Votes per option, in the poll's order; empty until read, and [] again never: a read that
    # fails keeps the last good counts and notes the error.
    counts = models.JSONField(default=list)
    voters = models.PositiveIntegerField(null=True, blank=True)
    hidden = models.BooleanField(default=False)  # the network hides counts until closing
    final = models.BooleanField(default=False)  # read at or after closing
    read_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"tally of poll {self.poll_id} on target {self.target_id}"


class Question(models.Model):
    """A post marked as an open question: its replies, from every channel, make a board."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="question")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The latest "your best answers" post drafted from the starred ones.
    quote_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"question on post {self.post_id}"


class StarredAnswer(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="stars")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    starred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starred_at"]
        constraints = [
            models.UniqueConstraint(fields=["question", "message"], name="one_star_per_answer")
        ]

    def __str__(self) -> str:
        return f"star on message {self.message_id}"
