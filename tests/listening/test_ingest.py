"""Storing heard posts: once per workspace, classified, authors, matches, in one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chorus.listening import ingest, spikes
from chorus.listening.models import (
    ListeningQuery,
    ListeningSource,
    Mention,
    MentionMatch,
    SourceHealth,
)
from chorus.listening.sources.base import Batch
from chorus.listening.stored import StoredBatch
from chorus.people.models import Author
from chorus.workspaces.models import Workspace
from tests.listening.conftest import heard

pytestmark = pytest.mark.django_db


def test_new_posts_stored_with_cursor_and_health(source_a: ListeningSource) -> None:
    source_a.health, source_a.failures = SourceHealth.FAILING, 3
    source_a.save()
    stored = ingest.store_heard(source_a, Batch([heard(1), heard(2)], cursor={"since": 2}))
    assert len(stored.mention_ids) == 2
    source_a.refresh_from_db()
    assert source_a.cursor == {"since": 2}
    assert (source_a.health, source_a.failures, source_a.last_batch_size) == ("ok", 0, 2)
    assert source_a.next_poll_at > source_a.last_polled_at
    mention = Mention.objects.get(remote_id="entry-1")
    assert mention.url == "https://blog.example.net/posts/1"  # tracking removed
    assert mention.source == source_a and mention.workspace_id == source_a.workspace_id


def test_same_id_stored_once(source_a: ListeningSource) -> None:
    ingest.store_heard(source_a, Batch([heard(1)], cursor={}))
    again = ingest.store_heard(source_a, Batch([heard(1), heard(1), heard(2)], cursor={}))
    assert Mention.objects.count() == 2
    assert len(again.mention_ids) == 1


def test_same_address_without_tracking_stored_once(source_a: ListeningSource) -> None:
    ingest.store_heard(source_a, Batch([heard(1, url="https://news.example.com/a?id=4")], {}))
    copy = heard(2, url="HTTPS://News.Example.com:443/a?utm_campaign=x&id=4&fbclid=y#top")
    ingest.store_heard(source_a, Batch([copy], {}))
    assert list(Mention.objects.values_list("remote_id", flat=True)) == ["entry-1"]


def test_same_text_through_another_network_stored_once(source_a: ListeningSource) -> None:
    text = "Acme's new roast is the best coffee I have had this year!"
    first = heard(1, text, url="")
    repost = heard(
        2,
        "ACME’s new   roast is the best coffee I have had this year https://t.co/x",
        network="mastodon",
        url="",
    )
    ingest.store_heard(source_a, Batch([first], {}))
    ingest.store_heard(source_a, Batch([repost], {}))
    # The apostrophes differ (’ and '): punctuation is left out of the fingerprint.
    assert Mention.objects.count() == 1


def test_short_same_texts_are_different_mentions(source_a: ListeningSource) -> None:
    ingest.store_heard(
        source_a, Batch([heard(1, "I love Acme", url=""), heard(2, "I love Acme", url="")], {})
    )
    assert Mention.objects.count() == 2


def test_each_workspace_keeps_its_own_copy(
    source_a: ListeningSource, workspace_c: Workspace
) -> None:
    source_c = ListeningSource.objects.create(workspace=workspace_c, kind="rss", name="Feed C")
    ingest.store_heard(source_a, Batch([heard(1)], {}))
    ingest.store_heard(source_c, Batch([heard(1)], {}))
    assert Mention.objects.filter(workspace=workspace_c).count() == 1
    assert Mention.objects.filter(workspace=source_a.workspace).count() == 1


def test_classified_on_arrival(source_a: ListeningSource) -> None:
    bad = "This is the worst service ever, I hate it, absolutely terrible and awful experience"
    ingest.store_heard(
        source_a,
        Batch(
            [
                heard(1, bad),
                heard(2, "Bonjour, je voudrais savoir où acheter votre café en grains ?"),
            ],
            {},
        ),
    )
    worst = Mention.objects.get(remote_id="entry-1")
    assert worst.language == "en" and worst.sentiment == "negative"
    assert worst.sentiment_score is not None and worst.toxicity is not None
    question = Mention.objects.get(remote_id="entry-2")
    assert question.language == "fr" and question.intent in {"question", "purchase_intent"}


def test_authors_upserted_with_reach(source_a: ListeningSource) -> None:
    ingest.store_heard(source_a, Batch([heard(1, reach=50)], {}))
    ingest.store_heard(source_a, Batch([heard(4, reach=75, author_name="")], {}))
    author = Author.objects.get(workspace=source_a.workspace, network="rss", remote_id="author-1")
    assert (author.handle, author.display_name, author.followers) == ("writer1", "Writer 1", 75)
    assert Mention.objects.filter(author=author).count() == 2
    assert Mention.objects.get(remote_id="entry-4").reach == 75


def test_matches_made_for_the_workspaces_queries(
    source_a: ListeningSource, query_a: ListeningQuery, workspace_c: Workspace
) -> None:
    ListeningQuery.objects.create(
        workspace=workspace_c, name="Acme", kind="brand", expression="acme"
    )
    hate = "I hate Acme coffee, the worst and most awful thing I ever drank, terrible"
    stored = ingest.store_heard(
        source_a, Batch([heard(1, hate), heard(2, "tea is nice"), heard(3, "Acme is fine")], {})
    )
    matches = MentionMatch.objects.order_by("mention__remote_id")
    assert [m.mention.remote_id for m in matches] == ["entry-1", "entry-3"]
    assert {m.query_id for m in matches} == {query_a.pk}
    assert [m.negative for m in matches] == [True, False]
    assert matches[0].published_at == matches[0].mention.published_at
    assert stored.matched_query_ids == [query_a.pk]


def test_spam_is_stored_but_counts_for_no_query(
    source_a: ListeningSource, query_a: ListeningQuery
) -> None:
    spam = "acme FREE BITCOIN click here http://spam.example/win win win $$$ buy now limited offer"
    ingest.store_heard(source_a, Batch([heard(1, spam)], {}))
    mention = Mention.objects.get()
    assert mention.is_spam
    assert not MentionMatch.objects.exists()


def test_spikes_checked_after_commit(
    source_a: ListeningSource,
    query_a: ListeningQuery,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    seen: list[tuple[StoredBatch, int]] = []

    def check(stored: StoredBatch) -> list[object]:
        seen.append((stored, MentionMatch.objects.count()))  # committed: visible to others
        return []

    monkeypatch.setattr(spikes, "check_after_batch", check)
    with django_capture_on_commit_callbacks(execute=True):
        stored = ingest.store_heard(source_a, Batch([heard(1, "acme rocks")], {}))
        assert seen == []  # not before the commit
    assert seen == [(stored, 1)]
    assert stored.stored_at is not None


def test_failing_spike_check_keeps_the_batch(
    source_a: ListeningSource,
    query_a: ListeningQuery,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(stored: StoredBatch) -> list[object]:
        raise RuntimeError("detector bug")

    monkeypatch.setattr(spikes, "check_after_batch", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ingest.store_heard(source_a, Batch([heard(1, "acme rocks")], {}))
    assert MentionMatch.objects.count() == 1


def test_one_transaction_a_failure_stores_nothing(
    source_a: ListeningSource, query_a: ListeningQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "_save_source", broken)
    with pytest.raises(RuntimeError):
        ingest.store_heard(source_a, Batch([heard(1, "acme rocks")], cursor={"since": 1}))
    assert not Mention.objects.exists() and not MentionMatch.objects.exists()
    assert not Author.objects.exists()
    source_a.refresh_from_db()
    assert source_a.cursor == {}


def _statements(source: ListeningSource, start: int, size: int) -> int:
    posts = [
        heard(n, f"acme post {n} with its own words number {n} here")
        for n in range(start, start + size)
    ]
    with CaptureQueriesContext(connection) as captured:
        ingest.store_heard(source, Batch(posts, {}))
    return len(captured.captured_queries)


def test_statement_count_does_not_grow_with_the_batch(
    source_a: ListeningSource, query_a: ListeningQuery
) -> None:
    _statements(source_a, 0, 2)  # the matcher is built once, then cached
    small = _statements(source_a, 100, 5)
    big = _statements(source_a, 1000, 200)
    assert small == big
    assert MentionMatch.objects.count() == 207


def test_unusable_ids_skipped(source_a: ListeningSource) -> None:
    ingest.store_heard(
        source_a, Batch([heard(1, remote_id=""), heard(2, remote_id="x" * 501), heard(3)], {})
    )
    assert list(Mention.objects.values_list("remote_id", flat=True)) == ["entry-3"]


def test_untrusted_links_and_nul_cleaned(source_a: ListeningSource) -> None:
    post = heard(1, "nul\x00 here", url="javascript:alert(1)", author_url="data:text/html,x")
    ingest.store_heard(source_a, Batch([post], {}))
    mention = Mention.objects.get()
    assert mention.url == "" and "\x00" not in mention.text
    assert mention.author is not None and mention.author.url == ""


def test_wait_seconds_of_the_source_respected(source_a: ListeningSource) -> None:
    ingest.store_heard(source_a, Batch([], {"since": 0}, wait_seconds=3600))
    source_a.refresh_from_db()
    assert source_a.next_poll_at - source_a.last_polled_at == timedelta(seconds=3600)
