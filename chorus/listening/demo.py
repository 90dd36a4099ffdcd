"""Listening in the demo workspace: three queries, a feed source, two weeks of mentions.

Nothing here touches a network: the feed source is paused, and the mentions are written
directly, then classified by the real classifier (the inbox's, with the workspace's
corrections) exactly as heard mentions are. Which query each one matched is written with it
(the brand, its product or the competitor named in its words).
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from django.db import transaction

from chorus.inbox.ingest import SPAM_THRESHOLD
from chorus.inbox.learning import classify_for
from chorus.listening.models import (
    ListeningQuery,
    ListeningSource,
    Mention,
    MentionMatch,
    QueryKind,
    SourceHealth,
)
from chorus.people.models import Author
from chorus.workspaces.models import Workspace

DAYS = 14
SEED = 1207  # the same demo every time

QUERIES = [
    ("Café Lumière", QueryKind.BRAND, '"café lumière" OR #cafelumiere OR @cafelumiere'),
    ("Atelier latte art", QueryKind.PRODUCT, '"latte art" AND (atelier OR workshop)'),
    ("Brûlerie du Coin", QueryKind.COMPETITOR, '"brûlerie du coin" OR #bruleriducoin'),
]
# (network, handle, display name, followers)
AUTHORS = [
    ("rss", "lyon-gourmand.fr", "Lyon Gourmand (blog)", 18_400),
    ("mastodon", "camille@piaille.fr", "Camille Roux", 640),
    ("mastodon", "jonas@mastodon.social", "Jonas Weber", 2_150),
    ("bluesky", "marie.press.bsky.social", "Marie Dupont — Ouest-France", 41_200),
    ("mastodon", "hugo@piaille.fr", "Hugo B.", 210),
    ("bluesky", "priya.bsky.social", "Priya N.", 1_380),
    ("rss", "petitpaume.com", "Le Petit Paumé", 96_000),
    ("mastodon", "tom@chaos.social", "Tom Becker", 420),
]
# (query index, text): what people write, in English and French, kind and unkind.
TEXTS = [
    (0, "Best flat white in Lyon is at Café Lumière, no contest. The baristas really care."),
    (0, "Café Lumière a encore changé ses horaires sans prévenir, porte close ce matin."),
    (0, "Petit-déjeuner parfait au Café Lumière : pain frais, café délicieux, équipe adorable."),
    (0, "Waited 25 minutes for a cold latte at Café Lumière today. Disappointing service."),
    (0, "Le nouveau menu d'automne du Café Lumière est une réussite, bravo !"),
    (
        0,
        "Is Café Lumière open on Sunday? Their website doesn't say. https://cafe-lumiere.example/horaires",
    ),
    (0, "#cafelumiere the oat milk is finally back, thank you!"),
    (0, "Service très lent au Café Lumière, et personne ne s'est excusé. Déçue."),
    (0, "Café Lumière est mon endroit préféré pour travailler, wifi rapide et calme."),
    (0, "The lemon cake at Café Lumière was dry and overpriced today."),
    (1, "The latte art workshop at Café Lumière was so much fun, I made a (wobbly) swan!"),
    (1, "Atelier latte art samedi dernier : super moment, formateur très pédagogue."),
    (1, "Latte art workshop sold out again... please add more dates!"),
    (1, "L'atelier latte art était trop court pour le prix, dommage."),
    (2, "Brûlerie du Coin has the best single-origin beans in town."),
    (2, "Nouvelle carte à la Brûlerie du Coin, j'ai adoré leur cold brew."),
    (2, "Brûlerie du Coin was packed and noisy, couldn't hear myself think."),
    (2, "#bruleriducoin torréfaction maison, toujours impeccable."),
    (2, "Brûlerie du Coin vs Café Lumière? Brûlerie for beans, Lumière for brunch."),
]


@transaction.atomic
def fill_listening_demo(workspace: Workspace, now: datetime) -> list[Mention]:
    """Queries, a paused feed source and ~2 weeks of classified mentions for ``workspace``."""
    queries = [
        ListeningQuery.objects.create(workspace=workspace, name=name, kind=kind, expression=text)
        for name, kind, text in QUERIES
    ]
    source = ListeningSource.objects.create(
        workspace=workspace,
        kind="rss",
        name="Blogs et presse (démo)",
        settings={"url": "https://example.invalid/demo-feed.xml"},
        is_active=False,  # a demo never polls a real network
        health=SourceHealth.PAUSED,
    )
    authors = [_author(workspace, row, now) for row in AUTHORS]
    mentions = _mentions(workspace, source, authors, now)
    _classify(workspace, mentions)
    _match(workspace, mentions, queries)
    return mentions


def _author(workspace: Workspace, row: tuple[str, str, str, int], now: datetime) -> Author:
    network, handle, name, followers = row
    return Author.objects.create(
        workspace=workspace,
        network=network,
        remote_id=f"demo-listening-{handle}",
        handle=handle,
        display_name=name,
        followers=followers,
        first_seen_at=now - timedelta(days=DAYS),
        last_seen_at=now,
    )


def _moments(now: datetime, rng: random.Random) -> list[datetime]:
    """A daily rhythm (busier at lunch and in the evening), a quiet weekend, and a lively last
    two days, so the charts have a shape to read."""
    moments = []
    for day in range(DAYS):
        busy = 4 + (5 if day < 2 else 0) + (-2 if day % 7 in (2, 3) else 0)
        for _n in range(busy + rng.randint(0, 3)):
            hour = rng.choice((8, 9, 12, 12, 13, 18, 19, 21))
            moment = now - timedelta(days=day, hours=rng.randint(0, 2), minutes=rng.randint(0, 59))
            moments.append(moment.replace(hour=hour) if moment.replace(hour=hour) < now else moment)
    return sorted(moments, reverse=True)


def _mentions(
    workspace: Workspace, source: ListeningSource, authors: list[Author], now: datetime
) -> list[Mention]:
    rng = random.Random(SEED)
    made = []
    for number, moment in enumerate(_moments(now, rng)):
        query_index, text = TEXTS[rng.randrange(len(TEXTS))]
        author = authors[rng.randrange(len(authors))]
        remote_id = f"demo-mention-{number}"
        made.append(
            Mention(
                workspace=workspace,
                source=source if author.network == "rss" else None,
                network=author.network,
                remote_id=remote_id,
                url=f"https://example.invalid/{author.network}/{number}",
                fingerprint=hashlib.md5(f"{remote_id}{text}".encode()).hexdigest(),  # noqa: S324
                text=text,
                author=author,
                reach=author.followers,
                published_at=moment,
                stored_at=moment + timedelta(seconds=40),
                extras={"demo_query": query_index},
            )
        )
    return Mention.objects.bulk_create(made)


def _classify(workspace: Workspace, mentions: list[Mention]) -> None:
    found = classify_for(workspace, [mention.text for mention in mentions])
    for mention, classification in zip(mentions, found, strict=True):
        mention.language = classification.language[:8]
        mention.sentiment = classification.sentiment
        mention.sentiment_score = classification.confidence
        mention.intent = classification.intent
        mention.toxicity = classification.toxicity
        mention.is_spam = classification.spam >= SPAM_THRESHOLD
    fields = ["language", "sentiment", "sentiment_score", "intent", "toxicity", "is_spam"]
    Mention.objects.bulk_update(mentions, fields, batch_size=500)


def _match(workspace: Workspace, mentions: list[Mention], queries: list[ListeningQuery]) -> None:
    matches: list[MentionMatch] = []
    for mention in mentions:
        named = {int(mention.extras["demo_query"])}
        if "lumière" in mention.text.lower():
            named.add(0)  # the comparison names both: it counts for both queries
        matches.extend(
            MentionMatch(
                workspace=workspace,
                query=queries[index],
                mention=mention,
                published_at=mention.published_at,
                negative=mention.sentiment == "negative",
            )
            for index in sorted(named)
        )
    MentionMatch.objects.bulk_create(matches)
