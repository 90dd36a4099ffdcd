"""An RSS or Atom feed, read with feedparser.

The feed is asked for with the ETag and Last-Modified it last sent (a 304 costs nothing and
yields nothing), entries are told apart by their id (their link when a feed gives none), and the
cursor remembers the ids already handed over, so an unchanged feed yields nothing new even from
a server that ignores conditional requests. Entry HTML becomes plain text; Google Alerts'
redirect links are unwrapped to the article they point to.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import feedparser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import Permanent
from chorus.channels.networks.mastodon.text import html_to_text
from chorus.core import http as chorus_http
from chorus.core.links import safe_url
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import remember

MAX_FEED_BYTES = 5 * 1024 * 1024  # a feed larger than this is not a feed people write


class RssSource(SourceKind):
    key = "rss"
    label = _("RSS or Atom feed")
    description = _("Blogs, forums, news sites and Google Alerts: any address that gives a feed.")
    fields = (
        SourceField(
            "url",
            _("Feed address"),
            _("A blog's, forum's or news site's feed, or a Google Alerts feed (deliver to RSS)."),
            kind="url",
        ),
    )

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        check_feed_url(str(settings.get("url", "")))

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        url = check_feed_url(str(self.settings.get("url", "")))
        response = chorus_http.send(self.http, "GET", url, headers=conditional_headers(cursor))
        if response.status_code == 304:
            return Batch(posts=[], cursor=dict(cursor))
        if len(response.content) > MAX_FEED_BYTES:
            raise Permanent(gettext("This feed is larger than 5 MB: Chorus does not read it."))
        parsed = parse_feed(response.content, response.headers.get("content-type", ""))
        entries = [post for post in map(heard_entry, parsed.entries) if post is not None]
        entries.sort(key=lambda post: post.published_at)
        seen = [str(item) for item in cursor.get("seen", [])]
        already = set(seen)
        fresh = [post for post in entries if post.remote_id not in already]
        return Batch(posts=fresh, cursor=next_cursor(response, seen, entries))


def check_feed_url(url: str) -> str:
    """An http(s) address whose host, when written as an address, is one Chorus may reach.
    Names are checked after DNS, when the one HTTP client connects."""
    url = safe_url(url)
    host = urlsplit(url).hostname if url else None
    if not host:
        raise Permanent(gettext("Enter the feed's full address, starting with https://."))
    try:
        allowed = chorus_http.address_allowed(host)
    except ValueError:
        allowed = True  # a name, not an address
    if not allowed:
        raise Permanent(
            gettext("This address is inside a private network: Chorus does not read it.")
        )
    return url


def conditional_headers(cursor: Mapping[str, Any]) -> dict[str, str]:
    headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9"}
    if cursor.get("etag"):
        headers["If-None-Match"] = str(cursor["etag"])
    if cursor.get("modified"):
        headers["If-Modified-Since"] = str(cursor["modified"])
    return headers


def parse_feed(content: bytes, content_type: str) -> Any:
    parsed = feedparser.parse(content, response_headers={"content-type": content_type})
    if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
        raise Permanent(
            gettext("This address does not give an RSS or Atom feed: check it in a browser."),
            detail=str(parsed.get("bozo_exception", ""))[:300],
        )
    return parsed


def next_cursor(response: Any, seen: list[str], entries: list[HeardPost]) -> dict[str, Any]:
    return {
        "etag": response.headers.get("etag", ""),
        "modified": response.headers.get("last-modified", ""),
        "seen": remember(seen, [post.remote_id for post in entries]),
    }


def heard_entry(entry: Any) -> HeardPost | None:
    link = unwrap_redirect(safe_url(entry.get("link", "")))
    remote_id = str(entry.get("id") or link)
    if not remote_id:
        return None  # nothing to tell it apart by: it would come back on every poll
    author = entry.get("author_detail") or {}
    name = str(author.get("name") or entry.get("author", ""))
    author_url = safe_url(author.get("href", ""))
    return HeardPost(
        network="rss",
        remote_id=remote_id[:500],
        url=link,
        title=html_to_text(entry.get("title", ""))[:500],
        text=entry_text(entry),
        published_at=entry_time(entry),
        author_id=feed_author_id(name, author_url, link),
        author_name=name,
        author_url=author_url,
        language=str(entry.get("language") or "")[:8],
    )


def feed_author_id(name: str, author_url: str, link: str) -> str:
    """A feed's author has no id: their page when the feed gives one, else their name on the
    site they wrote on ("blog.example/Jane Doe"), so one blogger is one author across posts
    and two sites' "admin" stay two people."""
    if author_url:
        return author_url[:300]
    if not name.strip():
        return ""
    return f"{urlsplit(link).hostname or ''}/{name.strip()}"[:300]


def entry_text(entry: Any) -> str:
    """The fullest body the feed gives (content over summary), as plain text."""
    bodies = [part.get("value", "") for part in entry.get("content", [])]
    html = max(bodies, key=len) if bodies else entry.get("summary", "")
    return html_to_text(str(html or ""))


def entry_time(entry: Any) -> datetime:
    """When it was published (else updated); a feed without dates is heard now."""
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return datetime.now(tz=UTC)
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def unwrap_redirect(link: str) -> str:
    """Google Alerts links go through ``https://www.google.com/url?…&url=<article>``."""
    parts = urlsplit(link)
    host = parts.hostname or ""
    if parts.path == "/url" and (host == "google.com" or host.startswith("www.google.")):
        target = parse_qs(parts.query).get("url") or parse_qs(parts.query).get("q")
        if target and safe_url(target[0]):
            return target[0]
    return link
