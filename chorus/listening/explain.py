"""Why an alert fired, kept with it: the mentions, terms and authors behind the window."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from chorus.listening.models import ListeningQuery, MentionMatch
from chorus.listening.terms import over_represented

TOP_MENTIONS, TOP_AUTHORS = 5, 5
WINDOW_SAMPLE, USUAL_SAMPLE = 500, 2000  # enough mentions to rank words, few enough to be quick
USUAL_SPAN = timedelta(days=7)


def explain(
    query: ListeningQuery, start: datetime, end: datetime, *, negative_only: bool
) -> dict[str, Any]:
    """Top mentions (by reach, then time), over-represented terms and top authors."""
    matches = MentionMatch.objects.filter(
        query=query, published_at__gt=start, published_at__lte=end
    )
    if negative_only:
        matches = matches.filter(negative=True)
    window = list(
        matches.select_related("mention", "mention__author").order_by("-published_at")[
            :WINDOW_SAMPLE
        ]
    )
    return {
        "mentions": _top_mentions(window),
        "terms": [term.as_dict() for term in _terms(query, window, start)],
        "authors": _top_authors(window),
    }


def _reach(match: MentionMatch) -> int:
    mention = match.mention
    author_reach = mention.author.followers if mention.author else None
    return mention.reach or author_reach or 0


def _top_mentions(window: list[MentionMatch]) -> list[int]:
    """By reach, then time; one per author first, so five posts of one account do not hide
    everyone else, then the rest if there are fewer authors than places."""
    ranked = sorted(window, key=lambda m: (_reach(m), m.published_at), reverse=True)
    chosen, authors = [], set()
    for match in ranked:
        author = match.mention.author_id or f"mention-{match.mention_id}"
        if author not in authors:
            authors.add(author)
            chosen.append(match.mention_id)
    chosen += [m.mention_id for m in ranked if m.mention_id not in chosen]
    return chosen[:TOP_MENTIONS]


def _terms(query: ListeningQuery, window: list[MentionMatch], start: datetime) -> list[Any]:
    usual = (
        MentionMatch.objects.filter(
            query=query, published_at__gte=start - USUAL_SPAN, published_at__lte=start
        )
        .order_by("-published_at")
        .values_list("mention__title", "mention__text")[:USUAL_SAMPLE]
    )
    window_texts = [f"{m.mention.title} {m.mention.text}" for m in window]
    return over_represented(window_texts, (f"{title} {text}" for title, text in usual))


def _top_authors(window: list[MentionMatch]) -> list[dict[str, Any]]:
    """Who wrote most in the window; at equal counts, who reaches most people."""
    by_author: dict[int, dict[str, Any]] = {}
    counts: defaultdict[int, int] = defaultdict(int)
    for match in window:
        author = match.mention.author
        if author is None:
            continue
        counts[author.pk] += 1
        entry = by_author.setdefault(author.pk, _author_entry(author))
        entry["reach"] = max(entry["reach"], _reach(match))
    for author_id, entry in by_author.items():
        entry["mentions"] = counts[author_id]
    ranked = sorted(by_author.values(), key=lambda e: (e["mentions"], e["reach"]), reverse=True)
    return ranked[:TOP_AUTHORS]


def _author_entry(author: Any) -> dict[str, Any]:
    return {
        "id": author.pk,
        "network": author.network,
        "handle": author.handle,
        "name": author.display_name or author.handle,
        "url": author.url,
        "reach": author.followers or 0,
    }
