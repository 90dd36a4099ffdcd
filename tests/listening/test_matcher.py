"""The matcher: one automaton for every query, boolean logic on the terms found, filters."""

from __future__ import annotations

import pytest

from chorus.channels.models import Channel
from chorus.listening.matcher import Matcher, PostToMatch, QuerySpec, cached_matcher, spec_of
from chorus.listening.models import ListeningQuery, ListeningSource
from chorus.listening.query_language import parse
from chorus.workspaces.models import Workspace


def matches(expression: str, text: str, **post: object) -> bool:
    matcher = Matcher([QuerySpec(1, 1, parse(expression))])
    return matcher.match(PostToMatch(text, **post)) == [1]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "text", "expected"),
    [
        ("cat", "My cat is asleep", True),
        ("cat", "A new category", False),  # word boundaries
        ("cat", "concat strings", False),
        ("cat", "CAT!", True),
        ("cat", "the cat_food aisle", False),
        ("barist*", "Baristas unite", True),
        ("barist*", "abarista", False),
        ("acme coffee", "coffee by Acme", True),  # AND in any order
        ("acme coffee", "Acme tea", False),
        ("acme OR tea", "green tea", True),
        ("acme -job", "acme is great", True),
        ("acme -job", "acme job offer", False),
        ("acme NOT (job OR hiring)", "acme is hiring", False),
        ('"acme coffee"', "I love Acme   Coffee.", True),  # phrases: spaces collapsed
        ('"acme coffee"', "coffee at acme", False),
        ('"acme coffee"', "acme coffeehouse", False),
        ("cafe", "Un café au lait", True),  # accents
        ("café", "best cafe", True),
        ("#acme", "love it #Acme", True),
        ("#acme", "love it #acmecorp", False),
        ("#acme", "love it acme", False),
        ("@acme", "thanks @Acme!", True),
        ("@acme", "thanks @acme@mastodon.social", True),
        ("@acme", "mail me at bob@acme.com", False),
        ("site:acme.com", "read https://shop.acme.com/deal?x=1", True),
        ("site:acme.com", "read https://notacme.com/deal", False),
        ("site:acme.com", "acme.com without a link", False),
    ],
)
def test_terms_and_logic(expression: str, text: str, expected: bool) -> None:
    assert matches(expression, text) is expected


def test_site_from_the_posts_own_address() -> None:
    assert matches("site:acme.com", "a review", url="https://www.acme.com/blog/1")


def test_handle_matches_a_post_by_that_author() -> None:
    assert matches("@acme", "new flavours out", author_handle="@Acme@mastodon.social")
    assert not matches("@acme", "new flavours out", author_handle="@someone")


def test_title_is_searched_too() -> None:
    assert matches("acme", "Read all about it", title="Acme recalls a batch")


def test_many_queries_of_many_workspaces_in_one_pass() -> None:
    specs = [QuerySpec(n, n // 10, parse(f"brand{n} OR shared")) for n in range(1, 200)]
    matcher = Matcher(specs)
    assert matcher.match(PostToMatch("all about brand42")) == [42]
    assert matcher.match(PostToMatch("shared news")) == list(range(1, 200))
    assert matcher.match(PostToMatch("shared news", workspace_id=3)) == list(range(30, 40))
    assert matcher.match(PostToMatch("nothing here")) == []


def test_languages_filter() -> None:
    matcher = Matcher([QuerySpec(1, 1, parse("acme"), languages=frozenset({"fr"}))])
    assert matcher.match(PostToMatch("acme est top", language="fr")) == [1]
    assert matcher.match(PostToMatch("acme is great", language="en")) == []
    assert matcher.match(PostToMatch("acme", language="")) == []


def test_sources_filter_none_means_all() -> None:
    only = Matcher([QuerySpec(1, 1, parse("acme"), source_ids=frozenset({7}))])
    assert only.match(PostToMatch("acme", source_id=7)) == [1]
    assert only.match(PostToMatch("acme", source_id=8)) == []
    every = Matcher([QuerySpec(1, 1, parse("acme"))])
    assert every.match(PostToMatch("acme", source_id=8)) == [1]


def test_own_accounts_and_excluded_authors_left_out() -> None:
    specs = [
        QuerySpec(1, 1, parse("acme")),
        QuerySpec(2, 1, parse("acme"), exclude_own_accounts=False),
        QuerySpec(3, 1, parse("acme"), excluded_authors=frozenset({"resellerbot"})),
    ]
    matcher = Matcher(specs, own_handles={1: {"@AcmeOfficial"}, 2: {"someone"}})
    assert matcher.match(PostToMatch("acme news", author_handle="acmeofficial")) == [2]
    assert matcher.match(PostToMatch("acme news", author_handle="@ResellerBot")) == [1, 2]
    assert matcher.match(PostToMatch("acme news", author_handle="someone")) == [1, 2, 3]


@pytest.mark.django_db
def test_built_from_stored_queries_with_their_filters(workspace_a: Workspace) -> None:
    source = ListeningSource.objects.create(workspace=workspace_a, kind="rss", name="Feed")
    query = ListeningQuery.objects.create(
        workspace=workspace_a,
        name="Acme",
        kind="brand",
        expression="acme",
        languages=["en"],
        excluded_authors="spammer\n@Bot2, bot3",
    )
    query.sources.add(source)
    spec = spec_of(ListeningQuery.objects.prefetch_related("sources").get(pk=query.pk))
    assert spec.source_ids == {source.pk}
    assert spec.excluded_authors == {"spammer", "bot2", "bot3"}
    assert spec.languages == {"en"}


@pytest.mark.django_db
def test_cache_rebuilds_when_queries_or_channels_change(workspace_a: Workspace) -> None:
    post = PostToMatch("acme and tea", author_handle="acmeshop", workspace_id=workspace_a.pk)
    first = ListeningQuery.objects.create(
        workspace=workspace_a, name="A", kind="brand", expression="acme"
    )
    assert cached_matcher(workspace_a.pk).match(post) == [first.pk]
    assert cached_matcher(workspace_a.pk) is cached_matcher(workspace_a.pk)
    first.expression = "coffee"
    first.save()
    assert cached_matcher(workspace_a.pk).match(post) == []
    second = ListeningQuery.objects.create(
        workspace=workspace_a, name="B", kind="brand", expression="tea"
    )
    assert cached_matcher(workspace_a.pk).match(post) == [second.pk]
    Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Shop", remote_id="1", handle="@acmeshop"
    )
    assert cached_matcher(workspace_a.pk).match(post) == []  # now one of our own accounts
    second.delete()
    Channel.objects.all().delete()
    assert cached_matcher(workspace_a.pk).match(post) == []


@pytest.mark.django_db
def test_inactive_queries_do_not_match(workspace_a: Workspace) -> None:
    ListeningQuery.objects.create(
        workspace=workspace_a, name="A", kind="brand", expression="acme", is_active=False
    )
    assert cached_matcher(workspace_a.pk).match(PostToMatch("acme")) == []
