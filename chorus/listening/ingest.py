"""Storing what a source heard: once per workspace, classified, with its authors and matches.

One call stores one batch in one transaction and a fixed number of statements whatever its
size (the bulk statements of ``chorus.core.bulk_sql``, as the inbox's ingest does). A post is
new unless the workspace already has it by the network's id, by its canonical address
(tracking parameters removed) or by its text's fingerprint (a copy, a repost, a cross-post).
New mentions are classified with the inbox's classifier (with the workspace's corrections),
their authors upserted as people, and matched against the workspace's queries. The source's
cursor and health are saved in the same transaction: a crash before the commit leaves both
the mentions and the cursor as they were, so the batch is simply read again.

After the commit, spike detection looks at the queries the batch matched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from chorus.classify import Classification
from chorus.core.bulk_sql import insert_many, one_of, upsert_many
from chorus.core.links import safe_url
from chorus.inbox.learning import classify_for
from chorus.listening import spikes
from chorus.listening.dedupe import canonical_url, fingerprint
from chorus.listening.matcher import Matcher, PostToMatch, cached_matcher
from chorus.listening.models import ListeningSource, Mention, MentionMatch, SourceHealth
from chorus.listening.sources.base import Batch, HeardPost
from chorus.listening.stored import StoredBatch
from chorus.people.models import Author
from chorus.workspaces.models import Workspace

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 500  # Mention.remote_id
SPAM_THRESHOLD = 0.5  # as the inbox decides Message.spam
MIN_POLL_SECONDS = 30
# How a stored author takes a batch's news (as the inbox's ingest does): a name or link left
# out keeps the one we had, the newest sighting wins; the inbox's message count is not touched.
AUTHOR_MERGED = {
    "handle": "COALESCE(NULLIF({new}, ''), {old})",
    "display_name": "COALESCE(NULLIF({new}, ''), {old})",
    "url": "COALESCE(NULLIF({new}, ''), {old})",
    "followers": "COALESCE({new}, {old})",
    "last_seen_at": "{greatest}({old}, {new})",
}
AUTHOR_KEY = ["workspace", "network", "remote_id"]


@dataclass(frozen=True)
class _Heard:
    """A post with the keys it is compared by."""

    post: HeardPost
    url: str
    fingerprint: str
    text: str  # what is classified and matched: the title and the text

    @property
    def key(self) -> tuple[str, str]:
        return self.post.network, self.post.remote_id


def store_heard(source: ListeningSource, batch: Batch) -> StoredBatch:
    """Store ``batch`` as ``source``'s news and move its cursor; the new mentions' ids."""
    heard = _unique_in_batch(_heard(batch.posts))
    # Read and classified before the write transaction (on SQLite it holds the site's one write
    # lock); the check inside it is the one that decides.
    candidates = _not_stored(source.workspace_id, heard)
    classified = classify_for(source.workspace_id, [item.text for item in candidates])
    by_key = dict(zip([item.key for item in candidates], classified, strict=True))
    matcher = cached_matcher(source.workspace_id)
    now = timezone.now()
    with transaction.atomic():
        _take_turn(source.workspace_id)
        fresh = _not_stored(source.workspace_id, candidates)
        authors = _upsert_authors(source.workspace_id, fresh, now)
        mentions = _store_mentions(source, fresh, authors, by_key, now)
        handles = {item.post.remote_id: item.post.author_handle for item in fresh}
        matched = _store_matches(matcher, source, mentions, handles)
        _save_source(source, batch, len(mentions), now)
    stored = StoredBatch(
        workspace_id=source.workspace_id,
        source_id=source.pk,
        mention_ids=[mention.pk for mention in mentions],
        matched_query_ids=sorted(matched),
        stored_at=timezone.now(),
    )
    transaction.on_commit(lambda: _check_spikes(stored))
    return stored


def _check_spikes(stored: StoredBatch) -> None:
    """Alerts must not cost the batch: it is stored whatever detection does."""
    if not stored.matched_query_ids:
        return
    try:
        spikes.check_after_batch(stored)
    except Exception:
        log.exception("spike check failed after a batch of source %s", stored.source_id)


# -- the batch itself -----------------------------------------------------------------------


def _heard(posts: Iterable[HeardPost]) -> list[_Heard]:
    made = []
    for post in posts:
        if not post.remote_id or len(post.remote_id) > MAX_ID_LENGTH or not post.network:
            log.warning("heard post with an unusable id skipped")
            continue
        text = clean_text(f"{post.title}\n{post.text}" if post.title else post.text)
        made.append(_Heard(post, canonical_url(post.url), fingerprint(text), text))
    return sorted(made, key=lambda item: item.post.published_at)


def _unique_in_batch(heard: list[_Heard]) -> list[_Heard]:
    """The first of each id, address and text; later copies in the same batch are duplicates.
    One remote id per batch, whatever the network: ``insert_many`` returns keys by it."""
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    seen_prints: set[str] = set()
    kept = []
    for item in heard:
        if item.post.remote_id in seen_ids or item.url in seen_urls:
            continue
        if item.fingerprint in seen_prints:
            continue
        kept.append(item)
        seen_ids.add(item.post.remote_id)
        seen_urls.update([item.url] if item.url else [])
        seen_prints.update([item.fingerprint] if item.fingerprint else [])
    return kept


def _not_stored(workspace_id: int, heard: list[_Heard]) -> list[_Heard]:
    """What the workspace has by none of the three keys, in one query."""
    if not heard:
        return []
    meta = Mention._meta
    quote = connection.ops.quote_name
    tests, params = [], []
    for name, values in (
        ("remote_id", [item.post.remote_id for item in heard]),
        ("url", [item.url for item in heard if item.url]),
        ("fingerprint", [item.fingerprint for item in heard if item.fingerprint]),
    ):
        field = meta.get_field(name)
        assert isinstance(field, models.Field)
        test, listed = one_of(quote(field.column), values, field)
        tests.append(test)
        params.append(listed)
    sql = (
        f"SELECT network, remote_id, url, fingerprint FROM {quote(meta.db_table)}"  # noqa: S608
        f" WHERE workspace_id = %s AND ({' OR '.join(tests)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace_id, *params])
        rows = cursor.fetchall()
    ids = {(network, remote_id) for network, remote_id, _url, _print in rows}
    urls = {url for _n, _r, url, _p in rows if url}
    prints = {found for _n, _r, _u, found in rows if found}
    return [
        item
        for item in heard
        if item.key not in ids and item.url not in urls and item.fingerprint not in prints
    ]


def _take_turn(workspace_id: int) -> None:
    """Batches of one workspace take turns: two sources hearing the same article at once must
    not both find it new. NO KEY UPDATE blocks no insert that only references the workspace; a
    no-op on SQLite, which has one writer."""
    list(
        Workspace.objects.select_for_update(no_key=True)
        .filter(pk=workspace_id)
        .values_list("pk", flat=True)
    )


# -- authors --------------------------------------------------------------------------------


def _author_key(post: HeardPost) -> str:
    return (post.author_id or post.author_handle.lstrip("@")).strip()[:300]


def _upsert_authors(
    workspace_id: int, heard: list[_Heard], now: datetime
) -> dict[tuple[str, str], int]:
    """Who wrote, by (network, remote id): created, or refreshed from their latest post."""
    latest: dict[tuple[str, str], _Heard] = {}
    first_seen: dict[tuple[str, str], datetime] = {}
    for item in heard:  # oldest first
        key = _author_key(item.post)
        if key:
            latest[(item.post.network, key)] = item
            first_seen.setdefault((item.post.network, key), item.post.published_at)
    batch = [
        _author(workspace_id, key, latest[key].post, first_seen[key]) for key in sorted(latest)
    ]
    stored = upsert_many(Author, batch, AUTHOR_KEY, AUTHOR_MERGED)
    return {(author.network, author.remote_id): author.pk for author in stored}


def _author(
    workspace_id: int, key: tuple[str, str], post: HeardPost, first_seen: datetime
) -> Author:
    return Author(
        workspace_id=workspace_id,
        network=key[0],
        remote_id=key[1],
        handle=clean_text(post.author_handle)[:300],
        display_name=clean_text(post.author_name)[:300],
        url=clean_link(post.author_url),
        avatar_url="",
        followers=None if post.reach is None else max(0, post.reach),
        first_seen_at=first_seen,
        last_seen_at=post.published_at,
        message_count=0,
    )


# -- mentions and matches ---------------------------------------------------------------------


def _store_mentions(
    source: ListeningSource,
    heard: list[_Heard],
    authors: dict[tuple[str, str], int],
    classified: dict[tuple[str, str], Classification],
    now: datetime,
) -> list[Mention]:
    mentions = [
        _mention(source, item, authors, classified[item.key], now)
        for item in heard
        if item.key in classified
    ]
    # Only rows this insert made count: one another writer slipped in first is not matched twice.
    ids = insert_many(Mention, mentions, skip_existing=True, returning="remote_id")
    for mention in mentions:
        mention.pk = ids.get(mention.remote_id)
    return [mention for mention in mentions if mention.pk is not None]


def _mention(
    source: ListeningSource,
    item: _Heard,
    authors: dict[tuple[str, str], int],
    found: Classification,
    now: datetime,
) -> Mention:
    post = item.post
    language = found.language if found.language != "und" else (post.language or "und")
    return _new_mention(
        {
            "workspace_id": source.workspace_id,
            "source_id": source.pk,
            "network": post.network[:32],
            "remote_id": post.remote_id,
            "url": item.url,
            "fingerprint": item.fingerprint,
            "title": clean_text(post.title)[:500],
            "text": clean_text(post.text),
            "author_id": authors.get((post.network, _author_key(post))),
            "reach": None if post.reach is None else max(0, post.reach),
            "published_at": post.published_at,
            "stored_at": now,
            "language": language[:8],
            "sentiment": found.sentiment,
            "sentiment_score": found.confidence,
            "intent": found.intent,
            "toxicity": found.toxicity,
            "is_spam": found.spam >= SPAM_THRESHOLD,
            "extras": dict(post.extras),
        }
    )


_MENTION_COLUMNS = [field.attname for field in Mention._meta.concrete_fields]
# Fields with a callable default (dates, JSON) are always given; the rest default to this.
_MENTION_DEFAULTS = {
    field.attname: None if callable(field.default) else field.get_default()
    for field in Mention._meta.concrete_fields
}


def _new_mention(values: dict[str, object]) -> Mention:
    """Built from positional values, the ORM's fast path (a third of the keyword path's cost,
    as the inbox's ingest measured)."""
    given = {**_MENTION_DEFAULTS, **values}
    return Mention(*[given[name] for name in _MENTION_COLUMNS])


def _store_matches(
    matcher: Matcher, source: ListeningSource, mentions: list[Mention], handles: dict[str, str]
) -> set[int]:
    """A match per (query, mention). Spam is stored but counts for no query: a bot flood must
    not raise a spike alert."""
    matches = []
    for mention in mentions:
        if mention.is_spam:
            continue
        post = PostToMatch(
            text=mention.text,
            title=mention.title,
            url=mention.url,
            author_handle=handles.get(mention.remote_id, ""),
            language=mention.language,
            source_id=source.pk,
            workspace_id=source.workspace_id,
        )
        for query_id in matcher.match(post):
            matches.append(_match(mention, query_id))
    insert_many(MentionMatch, matches, skip_existing=True)
    return {match.query_id for match in matches}


def _match(mention: Mention, query_id: int) -> MentionMatch:
    return MentionMatch(
        workspace_id=mention.workspace_id,
        query_id=query_id,
        mention_id=mention.pk,
        published_at=mention.published_at,
        negative=mention.sentiment == "negative",
    )


# -- the source -------------------------------------------------------------------------------


def next_poll_after(source: ListeningSource, batch: Batch, now: datetime) -> datetime:
    """Its own pace, or later when the source asked to wait (a rate limit, a quota)."""
    seconds = max(MIN_POLL_SECONDS, source.poll_every_seconds, batch.wait_seconds or 0)
    return now + timedelta(seconds=seconds)


def _save_source(source: ListeningSource, batch: Batch, stored: int, now: datetime) -> None:
    """The cursor with the batch it led to, and the source back to health."""
    values = {
        "cursor": batch.cursor,
        "health": SourceHealth.OK,
        "failures": 0,
        "last_error": "",
        "last_polled_at": now,
        "last_success_at": now,
        "last_batch_size": stored,
        "next_poll_at": next_poll_after(source, batch, now),
    }
    ListeningSource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)


def clean_text(text: str) -> str:
    # PostgreSQL refuses NUL in text; networks have sent it.
    return (text or "").replace("\x00", "")


def clean_link(url: str) -> str:
    """Only web links are kept: a javascript: or data: link from a stranger is dropped."""
    url = safe_url(clean_text(url))
    return url if len(url) <= 500 else ""
