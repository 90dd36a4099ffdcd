"""The mentions page: the stream with its filters, escaping of what people wrote, paging, live
updates (204 while nothing arrived), the figures beside it; alice, bob and charlie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from chorus.listening import stream
from chorus.workspaces.models import Workspace
from tests.listening.mention_factories import (
    make_author,
    make_mention,
    make_query,
    make_source,
)

pytestmark = pytest.mark.django_db
PAGE = "/listening/mentions/"


def _ago(**delta: float) -> datetime:
    return timezone.now() - timedelta(**delta)


def test_the_stream_shows_each_mention_with_its_details(
    alice_client: Client, workspace_a: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière")
    feed = make_source(workspace_a, "Food blogs")
    fan = make_author(workspace_a, "camille@piaille.fr", followers=12_345)
    make_mention(
        workspace_a, "Le meilleur café de Lyon", _ago(hours=2), sentiment="positive",
        queries=(brand,), source=feed, author=fan, language="fr", network="mastodon",
    )  # fmt: skip
    page = alice_client.get(PAGE).content.decode()
    assert "Le meilleur café de Lyon" in page
    assert "Food blogs" in page and "camille@piaille.fr" in page
    assert "12.3k followers" in page
    assert 'class="chip query"' in page and "Lumière" in page
    assert "(positive − negative) / (positive + negative)" in page
    assert "Share of voice" in page and "100.0 %" in page


def test_published_time_is_shown_in_the_workspace_zone(
    alice_client: Client, workspace_a: Workspace
) -> None:
    at = datetime.now(UTC).replace(hour=6, minute=5, second=0, microsecond=0) - timedelta(days=1)
    make_mention(workspace_a, "Early bird", at)
    page = alice_client.get(PAGE).content.decode()
    paris = at.astimezone(ZoneInfo("Europe/Paris"))
    assert paris.strftime("%H:%M") in page  # 07:05 or 08:05, never 06:05 UTC


def test_filters_by_query_sentiment_language_source_search_and_dates(
    alice_client: Client, workspace_a: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière")
    feed = make_source(workspace_a)
    make_mention(
        workspace_a,
        "alpha great",
        _ago(hours=1),
        sentiment="positive",
        queries=(brand,),
        language="en",
    )
    make_mention(
        workspace_a, "beta awful", _ago(hours=2), sentiment="negative", language="fr", source=feed
    )
    make_mention(workspace_a, "gamma old", _ago(days=20), sentiment="negative")

    def shown(**params: str) -> set[str]:
        html = alice_client.get(PAGE, params).content.decode()
        return {word for word in ("alpha", "beta", "gamma") if f"{word} " in html}

    assert shown() == {"alpha", "beta"}  # two weeks by default
    assert shown(query=str(brand.pk)) == {"alpha"}
    assert shown(sentiment="negative") == {"beta"}
    assert shown(language="fr") == {"beta"}
    assert shown(source=str(feed.pk)) == {"beta"}
    assert shown(q="AWFUL") == {"beta"}
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert shown(since=since) == {"alpha", "beta", "gamma"}
    old = (timezone.now() - timedelta(days=20)).isoformat()
    assert shown(since=old.replace("+00:00", "Z"), until=_ago(days=10).isoformat()) == set()


def test_an_alert_link_with_iso_times_narrows_the_stream(
    alice_client: Client, workspace_a: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière")
    make_mention(workspace_a, "inside spike", _ago(minutes=30), queries=(brand,))
    make_mention(workspace_a, "before spike", _ago(hours=3), queries=(brand,))
    since, until = _ago(hours=1).isoformat(), _ago(minutes=1).isoformat()
    html = alice_client.get(PAGE, {"query": brand.pk, "since": since, "until": until}).content
    assert b"inside spike" in html and b"before spike" not in html


def test_bad_filters_are_said_and_left_out(alice_client: Client, workspace_a: Workspace) -> None:
    make_mention(workspace_a, "still here", _ago(hours=1))
    response = alice_client.get(
        PAGE, {"query": "99999999999999999999", "sentiment": "furious", "since": "yesterday",
               "language": "<b>", "source": "abc"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "still here" in html
    assert "Unknown query" in html and "Unknown sentiment" in html and "is not a date" in html
    assert "<b>" not in html.split("</form>")[0].split('name="q"')[-1]


def test_hostile_text_is_escaped_and_only_http_links_become_links(
    alice_client: Client, workspace_a: Workspace
) -> None:
    evil = make_author(workspace_a, "<img src=x onerror=alert(1)>")
    make_mention(
        workspace_a, '<script>alert("x")</script> see https://ok.example/a and javascript:alert(2)',
        _ago(hours=1), title="<b>Title</b>", url="javascript:alert(3)", author=evil,
    )  # fmt: skip
    html = alice_client.get(PAGE).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>Title</b>" not in html
    assert 'href="https://ok.example/a" rel="nofollow noopener ugc"' in html
    assert 'href="javascript:' not in html


def test_paging_follows_a_cursor_and_htmx_gets_only_rows(
    alice_client: Client, workspace_a: Workspace
) -> None:
    for n in range(stream.PAGE_SIZE + 3):
        make_mention(workspace_a, f"number-{n:02d} said", _ago(minutes=n + 1))
    first = alice_client.get(PAGE).content.decode()
    assert "number-00 said" in first and f"number-{stream.PAGE_SIZE:02d} said" not in first
    cursor = first.split("after=")[1].split('"')[0]
    more = alice_client.get(PAGE, {"after": cursor}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in more
    assert f"number-{stream.PAGE_SIZE:02d} said" in more and "number-00 said" not in more


def test_live_answers_204_until_a_mention_arrives(
    alice_client: Client, workspace_a: Workspace
) -> None:
    make_mention(workspace_a, "first one", _ago(hours=1))
    stamp = stream.change_stamp(workspace_a)
    live = "/listening/mentions/live/"
    assert alice_client.get(live, {"v": stamp}).status_code == 204
    make_mention(workspace_a, "brand new one", _ago(minutes=1))
    response = alice_client.get(live, {"v": stamp})
    assert response.status_code == 200
    html = response.content.decode()
    assert "brand new one" in html and 'hx-swap-oob="true"' in html
    assert f"v={stream.change_stamp(workspace_a)}" in html
    # An action on a row that arrived live comes back to the page, not to the live fragment.
    filtered = alice_client.get(live, {"v": stamp, "sentiment": "neutral"}).content.decode()
    assert 'name="next" value="/listening/mentions/?sentiment=neutral"' in filtered
    assert 'name="next" value="/listening/mentions/live/' not in filtered


def test_bob_sees_the_page_charlie_sees_only_his_own(
    bob_client: Client, charlie_client: Client, workspace_a: Workspace, workspace_c: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière secret query")
    make_mention(workspace_a, "A's private mention", _ago(hours=1), queries=(brand,))
    assert b"A&#x27;s private mention" in bob_client.get(PAGE).content
    page = charlie_client.get(PAGE, {"query": brand.pk}).content.decode()
    assert "private mention" not in page and "Lumière secret query" not in page
    assert "Unknown query" in page
    live = charlie_client.get("/listening/mentions/live/", {"v": "0"}).content.decode()
    assert "private mention" not in live


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_the_sidebar_links_to_listening(alice_client: Client, workspace_a: Workspace) -> None:
    html = alice_client.get("/today/").content.decode()
    assert 'href="/listening/mentions/"' in html


def test_more_mentions_add_no_query(alice_client: Client, workspace_a: Workspace) -> None:
    """Rows, their queries, labels, authors and the figures are read per page, not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chorus.inbox.models import Label

    brand = make_query(workspace_a, "Lumière")
    label = Label.objects.create(workspace=workspace_a, name="Press")

    def add(n: int) -> None:
        for i in range(n):
            fan = make_author(workspace_a, f"fan{i}-{n}@example.social", followers=i)
            mention = make_mention(
                workspace_a, f"hello {i}", _ago(hours=i + 1), queries=(brand,), author=fan
            )
            mention.labels.add(label)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(PAGE).status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as many:
        assert alice_client.get(PAGE).status_code == 200
    assert len(many) == len(few)
