"""A hashtag timeline or a status search on the connected account's Mastodon instance.

Read forward with ``min_id`` (the newest status already handed over), page after page, so a
busy hashtag loses nothing between two polls. The instance says how many calls are left in the
window (``X-RateLimit-Remaining``) and when it reopens (``X-RateLimit-Reset``): near the end of
the budget the batch asks to be polled again only after the reset, and a 429 is RateLimited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import AuthExpired, Permanent
from chorus.channels.networks.mastodon.oauth import instance_root
from chorus.channels.networks.mastodon.text import html_to_text
from chorus.core import http as chorus_http
from chorus.core.links import safe_url
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import as_dict, as_list, as_str, parse_iso, read_json

PAGE_SIZE = 40  # the most a timeline or search page holds
MAX_PAGES = 5  # per poll: a backlog is read over several polls rather than in one burst
LOW_REMAINING = 5  # calls left in the window below which the source waits for the reset


class MastodonSource(SourceKind):
    key = "mastodon"
    label = _("Mastodon hashtag or search")
    description = _("A hashtag or a search on the instance of a connected Mastodon account.")
    channel_network = "mastodon"
    fields = (
        SourceField("hashtag", _("Hashtag"), _("Without #, for example: chorus."), required=False),
        SourceField(
            "terms",
            _("Search words"),
            _("Words to search for in posts, when not a hashtag."),
            required=False,
        ),
    )

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        if not (hashtag_of(settings) or str(settings.get("terms", "")).strip()):
            raise Permanent(gettext("Enter a hashtag or search words."))

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        self.check_settings(self.settings)
        min_id = str(cursor.get("min_id", ""))
        posts: list[HeardPost] = []
        wait: float | None = None
        for _page in range(MAX_PAGES):
            statuses, wait = self._page(min_id)
            posts.extend(post for post in map(heard, statuses) if post is not None)
            min_id = newest_id([min_id, *(as_str(s.get("id")) for s in statuses)])
            if len(statuses) < PAGE_SIZE or wait is not None or not cursor.get("min_id"):
                break  # the first poll starts from now: no backfill of the whole history
        posts.sort(key=lambda post: post.published_at)
        return Batch(posts=posts, cursor={"min_id": min_id}, wait_seconds=wait)

    def _page(self, min_id: str) -> tuple[list[dict[str, Any]], float | None]:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if min_id:
            params["min_id"] = min_id
        hashtag = hashtag_of(self.settings)
        if hashtag:
            path = f"/api/v1/timelines/tag/{quote(hashtag, safe='')}"
        else:
            path = "/api/v2/search"
            params.update(q=str(self.settings["terms"]).strip(), type="statuses", resolve="false")
        response = chorus_http.send(
            self.http, "GET", self._root() + path, params=params, headers=self._auth()
        )
        body = read_json(response, "Mastodon")
        statuses = as_list(body if hashtag else as_dict(body).get("statuses"))
        return [as_dict(s) for s in statuses if isinstance(s, dict)], budget_wait(response)

    def _root(self) -> str:
        return instance_root(str(self.channel_settings.get("base_url", "")))

    def _auth(self) -> dict[str, str]:
        token = str(self.channel_credentials.get("access_token") or "")
        if not token:
            raise AuthExpired("Reconnect the Mastodon account this source reads with.")
        return {"Authorization": f"Bearer {token}"}


def hashtag_of(settings: Mapping[str, Any]) -> str:
    return str(settings.get("hashtag", "")).strip().lstrip("#")


def budget_wait(response: httpx.Response) -> float | None:
    """Seconds until the instance's window reopens, when almost no calls are left in it."""
    remaining = response.headers.get("x-ratelimit-remaining", "")
    if not remaining.isdigit() or int(remaining) > LOW_REMAINING:
        return None
    return chorus_http.retry_after_seconds(response)


def newest_id(ids: list[str]) -> str:
    """Mastodon ids are numbers in strings, growing with time: the longest, then the largest."""
    known = [i for i in ids if i]
    return max(known, key=lambda i: (len(i), i)) if known else ""


def heard(status: dict[str, Any]) -> HeardPost | None:
    """The post, or None for one without a date or id (left out rather than stopping the
    source on every read)."""
    status = as_dict(status.get("reblog")) or status
    account = as_dict(status.get("account"))
    warning = as_str(status.get("spoiler_text"))
    text = html_to_text(as_str(status.get("content")))
    published = parse_iso(status.get("created_at"))
    if published is None or not (status.get("uri") or status.get("id")):
        return None
    followers = account.get("followers_count")
    return HeardPost(
        network="mastodon",
        # The ActivityPub URI is the same on every instance: heard twice, stored once.
        remote_id=as_str(status.get("uri")) or as_str(status.get("id")),
        url=safe_url(status.get("url") or status.get("uri")),
        text=f"{warning}\n\n{text}" if warning else text,
        published_at=published,
        author_id=as_str(account.get("uri")) or as_str(account.get("url")),
        author_handle=as_str(account.get("acct")),
        author_name=as_str(account.get("display_name")),
        author_url=safe_url(account.get("url")),
        reach=followers if isinstance(followers, int) else None,
        language=as_str(status.get("language"))[:8],
        extras={
            "reblogs": status.get("reblogs_count"),
            "favourites": status.get("favourites_count"),
        },
    )
