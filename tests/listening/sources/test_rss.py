"""RSS and Atom feeds served over real HTTP on loopback, in the shapes real publishers send."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from chorus.channels.errors import Permanent, RateLimited, Transient
from chorus.listening.sources.registry import get_source
from chorus.listening.sources.rss import RssSource
from tests.loopback import Heard, Loopback, Reply

FEEDS = Path(__file__).parent / "feeds"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def source(server: Loopback, http: httpx.Client, path: str = "/feed") -> RssSource:
    kind = get_source("rss")
    made = kind({"url": server.root + path}, http=http)
    assert isinstance(made, RssSource)
    return made


def test_a_wordpress_feed_gives_plain_text_oldest_first(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("GET", "/feed", Reply(body=feed("wordpress_rss2.xml"), headers={"content-type": RSS}))

    batch = source(server, http).fetch({})

    assert [p.remote_id for p in batch.posts] == [
        "https://carnet.example.org/?p=398",
        "https://carnet.example.org/?p=412",
    ]
    review = batch.posts[1]
    assert review.published_at == datetime(2026, 12, 5, 9, 12, 44, tzinfo=UTC)
    assert review.title == "Trois mois avec le vélo cargo Chorus"
    assert "le bilan est mitigé" in review.text
    assert "alert" not in review.text and "<" not in review.text
    assert "tout & plus encore" in review.text
    assert review.author_name == "Léa"
    assert review.author_id == "carnet.example.org/Léa"  # her name on her site: one author
    assert review.url == "https://carnet.example.org/2026/12/05/trois-mois-chorus/"


def test_a_bloggers_atom_feed_is_read_the_same_way(server: Loopback, http: httpx.Client) -> None:
    server.on("GET", "/feed", Reply(body=feed("blogger_atom.xml"), headers={"content-type": ATOM}))

    review = source(server, http).fetch({}).posts[-1]

    assert review.remote_id == "tag:blogger.com,1999:blog-5566778899.post-1111"
    assert review.published_at == datetime(2026, 12, 6, 17, 30, tzinfo=UTC)
    assert review.text.startswith("The Chorus app lost my data twice.")
    assert "onerror" not in review.text and "<img" not in review.text
    assert review.url == "https://gadgetgrumbles.blogspot.com/2026/12/chorus-review.html"
    assert review.author_name == "Sam Reviewer"


def test_google_alerts_links_lead_to_the_article(server: Loopback, http: httpx.Client) -> None:
    server.on(
        "GET", "/feed", Reply(body=feed("google_alerts_atom.xml"), headers={"content-type": ATOM})
    )

    recall = source(server, http).fetch({}).posts[-1]

    assert recall.url == "https://news.example.com/2026/12/06/chorus-bikes-recall?ref=rss"
    assert recall.title == "Chorus bikes recalls 2,000 cargo frames"
    assert recall.remote_id == "tag:google.com,2013:googlealerts/feed:7316389562110938301"


def _conditional(heard: Heard) -> Reply:
    if heard.headers.get("if-none-match") == '"v1"':
        return Reply(304)
    headers = {
        "content-type": RSS,
        "etag": '"v1"',
        "last-modified": "Sat, 05 Dec 2026 09:12:44 GMT",
    }
    return Reply(body=feed("wordpress_rss2.xml"), headers=headers)


def test_an_unchanged_feed_answers_304_and_yields_nothing(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("GET", "/feed", _conditional)
    reader = source(server, http)

    first = reader.fetch({})
    second = reader.fetch(first.cursor)

    assert len(first.posts) == 2 and second.posts == []
    asked = server.requests("/feed")[-1].headers
    assert asked["if-none-match"] == '"v1"'
    assert asked["if-modified-since"] == "Sat, 05 Dec 2026 09:12:44 GMT"
    assert second.cursor == first.cursor


def test_a_server_ignoring_conditional_requests_still_yields_only_new_entries(
    server: Loopback, http: httpx.Client
) -> None:
    older = feed("wordpress_rss2.xml")
    newer = older.replace(
        b"<item>",
        b"<item><title>Chorus SAV: enfin une r\xc3\xa9ponse</title>"
        b"<link>https://carnet.example.org/sav/</link>"
        b"<pubDate>Sun, 06 Dec 2026 08:00:00 +0000</pubDate>"
        b'<guid isPermaLink="false">https://carnet.example.org/?p=420</guid>'
        b"<description>Ils ont rappel\xc3\xa9.</description></item><item>",
        1,
    )
    server.on(
        "GET",
        "/feed",
        Reply(body=older, headers={"content-type": RSS}),
        Reply(body=older, headers={"content-type": RSS}),
        Reply(body=newer, headers={"content-type": RSS}),
    )
    reader = source(server, http)

    first = reader.fetch({})
    again = reader.fetch(first.cursor)
    later = reader.fetch(again.cursor)

    assert len(first.posts) == 2 and again.posts == []
    assert [p.remote_id for p in later.posts] == ["https://carnet.example.org/?p=420"]


def test_an_entry_without_id_is_told_apart_by_its_link(
    server: Loopback, http: httpx.Client
) -> None:
    body = feed("wordpress_rss2.xml").replace(
        b'<guid isPermaLink="false">https://carnet.example.org/?p=398</guid>', b""
    )
    server.on("GET", "/feed", Reply(body=body, headers={"content-type": RSS}))

    oldest = source(server, http).fetch({}).posts[0]

    assert oldest.remote_id == "https://carnet.example.org/2026/11/28/marche-noel/"


def test_a_web_page_is_not_a_feed(server: Loopback, http: httpx.Client) -> None:
    page = Reply(
        body=b"<html><body><h1>Welcome</h1></body></html>", headers={"content-type": "text/html"}
    )
    server.on("GET", "/feed", page)

    with pytest.raises(Permanent, match="does not give an RSS or Atom feed"):
        source(server, http).fetch({})


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(503, b"busy", {"content-type": "text/plain"}), Transient),
        (Reply(404, b"gone", {"content-type": "text/plain"}), Permanent),
        (
            Reply(429, b"slow down", {"retry-after": "120", "content-type": "text/plain"}),
            RateLimited,
        ),
    ],
)
def test_server_errors_are_classified(
    server: Loopback, http: httpx.Client, reply: Reply, error: type[Exception]
) -> None:
    server.on("GET", "/feed", reply)

    with pytest.raises(error) as raised:
        source(server, http).fetch({"etag": '"v0"', "seen": ["x"]})

    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after == 120


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/feed",
        "http://10.1.2.3/feed",
        "http://169.254.169.254/latest",
    ],
)
def test_addresses_chorus_must_not_read_are_refused(http: httpx.Client, url: str) -> None:
    with pytest.raises(Permanent):
        RssSource({"url": url}, http=http).fetch({})
