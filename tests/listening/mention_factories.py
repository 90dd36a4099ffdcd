"""Mentions, matches and queries written directly, as listening's ingest would store them."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from chorus.listening.models import ListeningQuery, ListeningSource, Mention, MentionMatch
from chorus.people.models import Author
from chorus.workspaces.models import Workspace

_numbers = count(1)


def make_query(workspace: Workspace, name: str, kind: str = "brand") -> ListeningQuery:
    return ListeningQuery.objects.create(
        workspace=workspace, name=name, kind=kind, expression=name.lower()
    )


def make_source(
    workspace: Workspace, name: str = "Press feed", **fields: object
) -> ListeningSource:
    return ListeningSource.objects.create(
        workspace=workspace,
        kind="rss",
        name=name,
        settings={"url": "https://example.org/f"},
        **fields,
    )


def make_author(
    workspace: Workspace, handle: str, followers: int | None = None, network: str = "mastodon"
) -> Author:
    return Author.objects.create(
        workspace=workspace,
        network=network,
        remote_id=f"author-{handle}",
        handle=handle,
        display_name=handle.split("@")[0].title(),
        followers=followers,
    )


def make_mention(
    workspace: Workspace,
    text: str,
    at: datetime,
    *,
    sentiment: str = "neutral",
    queries: tuple[ListeningQuery, ...] = (),
    **fields: object,
) -> Mention:
    number = next(_numbers)
    fields.setdefault("network", "rss")
    fields.setdefault("remote_id", f"mention-{number}")
    mention = Mention.objects.create(
        workspace=workspace, text=text, published_at=at, sentiment=sentiment, **fields
    )
    for query in queries:
        MentionMatch.objects.create(
            workspace=workspace,
            query=query,
            mention=mention,
            published_at=at,
            negative=sentiment == "negative",
        )
    return mention
