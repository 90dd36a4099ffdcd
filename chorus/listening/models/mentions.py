"""A mention: one post, article or comment about the brand, heard by a source, stored once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from chorus.inbox.models import Conversation, Label
from chorus.listening.models.queries import ListeningQuery
from chorus.listening.models.sources import ListeningSource
from chorus.people.models import Author
from chorus.workspaces.models import Workspace


class Mention(models.Model):
    """Stored once per workspace: by the network's id, by canonical address, and not again when
    the same text comes back (``fingerprint``: a hash of the normalised text) through another
    source. Classified on arrival with the inbox's classifier."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    source = models.ForeignKey(
        ListeningSource, on_delete=models.SET_NULL, null=True, related_name="mentions"
    )
    network = models.CharField(max_length=32)  # where it was written: rss, mastodon, bluesky…
    remote_id = models.CharField(max_length=500)  # the network's own id (entry id, URI, status id)
    url = models.URLField(max_length=1000, blank=True)  # canonical address, tracking removed
    fingerprint = models.CharField(max_length=32, blank=True)  # near-duplicate key of the text
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )
    reach = models.PositiveIntegerField(null=True, blank=True)  # followers, when the source says
    published_at = models.DateTimeField()
    stored_at = models.DateTimeField(default=timezone.now)
    # Classification on arrival (chorus.classify), as the inbox stores it.
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)  # positive / neutral / negative
    sentiment_score = models.FloatField(null=True, blank=True)
    intent = models.CharField(max_length=20, blank=True)
    toxicity = models.FloatField(null=True, blank=True)
    is_spam = models.BooleanField(default=False)
    # What the team did with it.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="mentions")
    conversation = models.ForeignKey(  # answered: the inbox conversation it became
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extras = models.JSONField(default=dict, blank=True)  # source-specific: score, subreddit…

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "remote_id"], name="one_mention_per_post"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "-published_at"], name="mention_stream"),
            models.Index(fields=["workspace", "fingerprint"], name="mention_fingerprint"),
            models.Index(fields=["workspace", "url"], name="mention_url"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class MentionMatch(models.Model):
    """A mention that matched a query. Carries the figures spike detection counts (time and
    whether it was negative), so counting a query's window never joins the mentions."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="matches")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    published_at = models.DateTimeField()
    negative = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "mention"], name="one_match_per_query")
        ]
        indexes = [
            models.Index(fields=["query", "published_at"], name="match_window"),
            models.Index(fields=["workspace", "published_at"], name="match_workspace_time"),
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.query_id}"
