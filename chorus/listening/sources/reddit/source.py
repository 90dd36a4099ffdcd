"""Reddit's search (``/search?sort=new``) or a subreddit's ``/new``, read as the operator's app.

Only offered when the operator has an approved OAuth client: Reddit closed self-service API
access in November 2025. Listings come newest first; ``before=<newest fullname>`` asks for what
came after the last post handed over, and the fullnames already heard are remembered besides,
because ``before`` returns nothing once that post is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import AuthExpired, Permanent
from chorus.channels.networks.mastodon.text import html_to_text
from chorus.core import http as chorus_http
from chorus.core.links import safe_url
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import (
    api_root,
    as_dict,
    as_list,
    as_str,
    from_epoch,
    read_json,
    remember,
)
from chorus.listening.sources.reddit import token

DEFAULT_API = "https://oauth.reddit.com"
PAGE_SIZE = 100
SITE = "https://www.reddit.com"


class RedditSource(SourceKind):
    key = "reddit"
    label = _("Reddit")
    description = _(
        "A Reddit search or a subreddit's newest posts, with this installation's Reddit app."
    )
    fields = (
        SourceField(
            "terms", _("Search words"), _("Posts and comments that contain them."), required=False
        ),
        SourceField(
            "subreddit",
            _("Subreddit"),
            _("Without r/: its newest posts, or the search inside it when words are given."),
            required=False,
        ),
    )

    @classmethod
    def available(cls) -> bool:
        return bool(token.client_id() and getattr(settings, "CHORUS_REDDIT_CLIENT_SECRET", ""))

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        subreddit = subreddit_of(settings)
        if not (subreddit or str(settings.get("terms", "")).strip()):
            raise Permanent(gettext("Enter search words, a subreddit, or both."))
        if subreddit and not subreddit.replace("_", "").isalnum():
            raise Permanent(gettext("A subreddit name has only letters, digits and _."))

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        self.check_settings(self.settings)
        seen = [str(name) for name in cursor.get("seen", [])]
        children = self._listing(str(cursor.get("before", "")))
        posts = [p for p in map(heard, children) if p is not None and p.remote_id not in set(seen)]
        names = [as_str(as_dict(c.get("data")).get("name")) for c in children]
        before = next((name for name in names if name), str(cursor.get("before", "")))
        return Batch(
            posts=sorted(posts, key=lambda post: post.published_at),
            cursor={"before": before, "seen": remember(seen, reversed([n for n in names if n]))},
        )

    def _listing(self, before: str) -> list[dict[str, Any]]:
        path, params = self._where()
        params.update(limit=PAGE_SIZE, raw_json=1)
        if before:
            params["before"] = before
        url = api_root("CHORUS_REDDIT_API", DEFAULT_API) + path
        try:
            response = self._get(url, params)
        except AuthExpired:
            token.forget_token()  # an hour is up, or the token was revoked: ask once more
            response = self._get(url, params)
        body = as_dict(read_json(response, "Reddit"))
        return [as_dict(c) for c in as_list(as_dict(body.get("data")).get("children"))]

    def _where(self) -> tuple[str, dict[str, Any]]:
        subreddit, terms = subreddit_of(self.settings), str(self.settings.get("terms", "")).strip()
        if subreddit and not terms:
            return f"/r/{quote(subreddit)}/new", {}
        params: dict[str, Any] = {"q": terms, "sort": "new", "t": "all"}
        if subreddit:
            return f"/r/{quote(subreddit)}/search", {**params, "restrict_sr": "true"}
        return "/search", params

    def _get(self, url: str, params: dict[str, Any]) -> Any:
        headers = {
            "Authorization": f"bearer {token.app_token(self.http)}",
            "User-Agent": token.user_agent(),
        }
        return chorus_http.send(self.http, "GET", url, params=params, headers=headers)


def subreddit_of(settings: Mapping[str, Any]) -> str:
    return str(settings.get("subreddit", "")).strip().removeprefix("/").removeprefix("r/")


def heard(child: dict[str, Any]) -> HeardPost | None:
    data = as_dict(child.get("data"))
    name, published = as_str(data.get("name")), from_epoch(data.get("created_utc"))
    if not name or published is None:
        return None
    is_comment = child.get("kind") == "t1"
    body = data.get("body") if is_comment else data.get("selftext")
    title = as_str(data.get("link_title") if is_comment else data.get("title"))
    author = as_str(data.get("author"))
    return HeardPost(
        network="reddit",
        remote_id=name,
        url=safe_url(SITE + as_str(data.get("permalink"))) if data.get("permalink") else "",
        title=html_to_text(title)[:500],
        text=as_str(body) or html_to_text(title),
        published_at=published,
        author_id=author,
        author_handle=author,
        author_url=f"{SITE}/user/{author}" if author and author != "[deleted]" else "",
        extras={
            "subreddit": data.get("subreddit"),
            "score": data.get("score"),
            "comments": data.get("num_comments"),
            "link": safe_url(data.get("url")),
        },
    )
