"""Hacker News, searched through Algolia's public API (``search_by_date``, no key needed).

Each poll asks for stories and comments created after the newest one already handed over
(``numericFilters=created_at_i>N``), page after page; the ids heard in that last second are
remembered, because several items can share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import Permanent
from chorus.channels.networks.mastodon.text import html_to_text
from chorus.core.links import safe_url
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import (
    api_root,
    as_dict,
    as_list,
    as_str,
    from_epoch,
    get_json,
    remember,
)

DEFAULT_API = "https://hn.algolia.com/api/v1"
ITEM_URL = "https://news.ycombinator.com/item?id={}"
PAGE_SIZE = 100
MAX_PAGES = 5


class HackerNewsSource(SourceKind):
    key = "hackernews"
    label = _("Hacker News")
    description = _("Stories and comments on Hacker News, through Algolia's public search.")
    fields = (
        SourceField("terms", _("Search words"), _("Stories and comments that contain them.")),
    )

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        if not str(settings.get("terms", "")).strip():
            raise Permanent(gettext("Enter the words to search Hacker News for."))

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        self.check_settings(self.settings)
        since = int(cursor.get("since") or 0)
        hits: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            body = as_dict(self._search(since, page))
            hits.extend(as_dict(hit) for hit in as_list(body.get("hits")))
            if not since or page + 1 >= int(body.get("nbPages") or 0):
                break  # the first poll starts from now: no backfill of years of history
        seen = [str(i) for i in cursor.get("seen", [])]
        posts = [post for post in map(heard, hits) if post is not None]
        fresh = {p.remote_id: p for p in posts if p.remote_id not in set(seen)}
        newest = max([since, *(int(h.get("created_at_i") or 0) for h in hits)])
        at_newest = [str(h.get("objectID")) for h in hits if h.get("created_at_i") == newest]
        return Batch(
            posts=sorted(fresh.values(), key=lambda post: post.published_at),
            cursor={"since": newest, "seen": remember(seen, at_newest)},
        )

    def _search(self, since: int, page: int) -> Any:
        params: dict[str, Any] = {
            "query": str(self.settings["terms"]).strip(),
            "tags": "(story,comment)",
            "hitsPerPage": PAGE_SIZE,
            "page": page,
        }
        if since:
            # Inclusive of the last second read: items sharing it are left out by id.
            params["numericFilters"] = f"created_at_i>{since - 1}"
        root = api_root("CHORUS_HACKERNEWS_API", DEFAULT_API)
        return get_json(self.http, f"{root}/search_by_date", "Hacker News", params=params)


def heard(hit: dict[str, Any]) -> HeardPost | None:
    object_id = as_str(hit.get("objectID"))
    published = from_epoch(hit.get("created_at_i"))
    if not object_id or published is None:
        return None
    is_comment = "comment" in as_list(hit.get("_tags"))
    body = hit.get("comment_text") if is_comment else hit.get("story_text")
    title = as_str(hit.get("story_title") if is_comment else hit.get("title"))
    return HeardPost(
        network="hackernews",
        remote_id=object_id,
        url=ITEM_URL.format(object_id),
        title=title[:500],
        text=html_to_text(as_str(body)) or title,
        published_at=published,
        author_id=as_str(hit.get("author")),
        author_handle=as_str(hit.get("author")),
        author_url=f"https://news.ycombinator.com/user?id={as_str(hit.get('author'))}",
        extras={
            "kind": "comment" if is_comment else "story",
            "points": hit.get("points"),
            "story_id": hit.get("story_id"),
            "link": safe_url(hit.get("url") or hit.get("story_url")),
        },
    )
