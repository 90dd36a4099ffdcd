"""Top voices: accounts not yet in the pipeline that speak of the brand often, warmly and with
reach — each suggestion carries the figures it rests on.

Over the last 90 days (``relations_figures.WINDOW_DAYS``), an account needs at least
``MIN_TEXTS`` mentions and messages and a net sentiment of at least 0. They are ranked by

    score = texts × (1 + net sentiment) × log10(10 + reach)

so a warm account counts up to twice a lukewarm one, and reach weighs in without drowning a
small but devoted voice (10,000 followers weigh 4, none weighs 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import QuerySet

from chorus.accounts.models import User
from chorus.engagement.models.relations import DismissedVoice, Relation
from chorus.engagement.relations_figures import (
    Voice,
    recent_mentions,
    recent_messages,
    voices_of_authors,
)
from chorus.people.models import Author
from chorus.workspaces.models import Workspace

MIN_TEXTS = 2
SHOWN = 20
CANDIDATES = 200  # the most active accounts looked at, by mentions and by messages


@dataclass
class TopVoice:
    author: Author
    voice: Voice

    @property
    def reach(self) -> int | None:
        return self.author.followers

    @property
    def score(self) -> float:
        net = (self.voice.net_sentiment or 0) / 100
        return self.voice.total * (1 + net) * math.log10(10 + (self.reach or 0))


def _candidates(workspace: Workspace) -> tuple[QuerySet, QuerySet]:
    in_pipeline = Relation.objects.filter(workspace=workspace).values("person")
    dismissed = DismissedVoice.objects.filter(workspace=workspace).values("author")

    def narrow(queryset: QuerySet) -> QuerySet:
        return (
            queryset.filter(author__isnull=False, author__banned_at__isnull=True)
            .exclude(author__person__in=in_pipeline)
            .exclude(author__in=dismissed)
        )

    return narrow(recent_mentions(workspace)), narrow(recent_messages(workspace))


def top_voices(workspace: Workspace, limit: int = SHOWN) -> list[TopVoice]:
    mentions, messages = _candidates(workspace)
    voices = voices_of_authors(mentions, messages, CANDIDATES)
    warm = {
        author_id: voice
        for author_id, voice in voices.items()
        if voice.total >= MIN_TEXTS and (voice.net_sentiment or 0) >= 0
    }
    authors = Author.objects.filter(workspace=workspace, pk__in=list(warm))
    ranked = [TopVoice(author, warm[author.pk]) for author in authors]
    ranked.sort(key=lambda voice: (-voice.score, str(voice.author)))
    return ranked[:limit]


def dismiss(workspace: Workspace, author: Author, by: User | None) -> None:
    DismissedVoice.objects.get_or_create(workspace=workspace, author=author, defaults={"by": by})
