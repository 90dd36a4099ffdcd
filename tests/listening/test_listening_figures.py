"""Listening figures, counted by the database: volume and sentiment over time (zero-filled, in
the workspace's zone), net sentiment, share of voice, top authors and terms; tenancy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chorus.listening import figures
from chorus.listening.mention_filter import read_filter
from chorus.listening.terms import terms_of
from chorus.workspaces.models import Workspace
from tests.listening.mention_factories import make_author, make_mention, make_query

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _period(workspace: Workspace, **params: str):  # type: ignore[no-untyped-def]
    return read_filter(params, workspace, now=NOW)


def test_volume_per_day_in_the_workspace_zone_with_empty_days_at_zero(
    workspace_a: Workspace,
) -> None:
    # Paris is UTC+1 in March: 23:30 UTC on the 16th is already the 17th there.
    make_mention(workspace_a, "a", datetime(2026, 3, 16, 23, 30, tzinfo=UTC))
    make_mention(workspace_a, "b", datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    make_mention(workspace_a, "c", datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
    chosen = _period(workspace_a, since="2026-03-16", until="2026-03-19")
    points = figures.volume_over_time(workspace_a, chosen, "day")
    assert [(p.start.date().isoformat(), p.count) for p in points] == [
        ("2026-03-16", 0),
        ("2026-03-17", 2),
        ("2026-03-18", 0),
        ("2026-03-19", 1),
    ]
    assert str(points[0].start.tzinfo) == "Europe/Paris"


def test_sentiment_per_hour_counts_each_kind(workspace_a: Workspace) -> None:
    at = datetime(2026, 3, 20, 9, 10, tzinfo=UTC)
    make_mention(workspace_a, "great", at, sentiment="positive")
    make_mention(workspace_a, "awful", at + timedelta(minutes=5), sentiment="negative")
    make_mention(workspace_a, "hmm", at + timedelta(minutes=6), sentiment="")
    make_mention(workspace_a, "ok", at + timedelta(hours=2), sentiment="neutral")
    chosen = _period(
        workspace_a, since="2026-03-20T09:00:00+00:00", until="2026-03-20T12:00:00+00:00"
    )
    points = figures.sentiment_over_time(workspace_a, chosen, "hour")
    assert [(p.positive, p.neutral, p.negative) for p in points] == [
        (1, 1, 1),
        (0, 0, 0),
        (0, 1, 0),
    ]
    assert figures.choose_step(chosen) == "hour"


def test_net_sentiment_formula_and_none_without_positive_or_negative(
    workspace_a: Workspace,
) -> None:
    at = NOW - timedelta(days=1)
    chosen = _period(workspace_a)
    make_mention(workspace_a, "meh", at, sentiment="neutral")
    nothing = figures.net_sentiment(workspace_a, chosen)
    assert nothing.value is None and nothing.neutral == 1
    for n in range(3):
        make_mention(workspace_a, f"love {n}", at, sentiment="positive")
    make_mention(workspace_a, "hate", at, sentiment="negative")
    net = figures.net_sentiment(workspace_a, chosen)
    assert (net.positive, net.negative, net.neutral) == (3, 1, 1)
    assert net.value == pytest.approx((3 - 1) / (3 + 1))


def test_spam_is_left_out_of_figures(workspace_a: Workspace) -> None:
    at = NOW - timedelta(hours=3)
    make_mention(workspace_a, "buy followers now", at, sentiment="positive", is_spam=True)
    assert figures.net_sentiment(workspace_a, _period(workspace_a)).value is None


def test_share_of_voice_between_brand_and_competitor_queries(workspace_a: Workspace) -> None:
    brand = make_query(workspace_a, "Lumière", "brand")
    product = make_query(workspace_a, "Latte workshop", "product")
    rival = make_query(workspace_a, "Brûlerie", "competitor")
    person = make_query(workspace_a, "Our CEO", "person")  # not a voice in the market
    at = NOW - timedelta(days=2)
    for n in range(5):
        make_mention(workspace_a, f"l{n}", at, queries=(brand,))
    make_mention(workspace_a, "both", at, queries=(brand, product))
    for n in range(4):
        make_mention(workspace_a, f"b{n}", at, queries=(rival, person))
    shares = figures.share_of_voice(workspace_a, _period(workspace_a, query=str(brand.pk)))
    by_name = {s.name: s for s in shares}
    assert set(by_name) == {"Lumière", "Latte workshop", "Brûlerie"}
    assert by_name["Lumière"].mentions == 6 and by_name["Lumière"].share == pytest.approx(6 / 11)
    assert by_name["Brûlerie"].share == pytest.approx(4 / 11)
    assert by_name["Latte workshop"].is_ours and not by_name["Brûlerie"].is_ours
    assert shares[0].name == "Lumière"


def test_top_authors_by_mentions_with_their_reach(workspace_a: Workspace) -> None:
    big = make_author(workspace_a, "press@news.example", followers=50_000)
    small = make_author(workspace_a, "fan@piaille.fr", followers=None)
    at = NOW - timedelta(days=1)
    for n in range(3):
        make_mention(workspace_a, f"fan {n}", at, author=small, reach=120 + n)
    make_mention(workspace_a, "article", at, author=big)
    top = figures.top_authors(workspace_a, _period(workspace_a))
    assert [(a.handle, a.mentions, a.reach) for a in top] == [
        ("fan@piaille.fr", 3, 122),
        ("press@news.example", 1, 50_000),
    ]


def test_top_terms_count_mentions_not_repeats(workspace_a: Workspace) -> None:
    at = NOW - timedelta(days=1)
    make_mention(workspace_a, "Latte latte LATTE at the café https://x.example/latte", at)
    make_mention(workspace_a, "Le latte du café était froid @cafe@piaille.fr", at)
    make_mention(workspace_a, "Croissant and latte", at)
    terms = {t.term: t.mentions for t in figures.top_terms(workspace_a, _period(workspace_a))}
    assert terms["latte"] == 3 and terms["café"] == 2
    assert "the" not in terms and "cafe" not in terms and "https" not in terms


def test_tokenizer_drops_links_handles_stop_words_and_elisions() -> None:
    words = terms_of("L'équipe de @lumiere est top ! https://t.co/x #LatteArt qu'il 2026 a@b.fr")
    assert words == ["équipe", "top", "latteart"]


def test_figures_never_count_another_workspace(
    workspace_a: Workspace, workspace_c: Workspace
) -> None:
    theirs = make_query(workspace_c, "Charlie brand")
    make_mention(
        workspace_c,
        "charlie talk",
        NOW - timedelta(days=1),
        sentiment="negative",
        queries=(theirs,),
    )
    chosen = _period(workspace_a)
    assert figures.net_sentiment(workspace_a, chosen).neutral == 0
    assert figures.share_of_voice(workspace_a, chosen) == []
    assert sum(p.count for p in figures.volume_over_time(workspace_a, chosen)) == 0
    assert figures.top_terms(workspace_a, chosen) == []
    # A's page asking for C's query: unknown, left out, said so.
    assert _period(workspace_a, query=str(theirs.pk)).query_id is None
