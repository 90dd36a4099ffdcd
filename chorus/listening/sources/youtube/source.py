"""YouTube: ``search.list`` for new videos (``order=date``, ``publishedAfter``) and
``commentThreads.list`` for new comments on chosen videos. Quota-aware (see :mod:`.quota`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import Permanent, RateLimited
from chorus.core import http as chorus_http
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import api_root, as_dict, as_list, as_str, parse_iso, read_json
from chorus.listening.sources.youtube.quota import (
    LIST_COST,
    SEARCH_COST,
    OutOfUnits,
    Units,
    seconds_to_reset,
)

DEFAULT_API = "https://www.googleapis.com/youtube/v3"
WATCH = "https://www.youtube.com/watch?v={}"
MAX_VIDEOS = 20  # comment threads are read on at most this many chosen videos


class YouTubeSource(SourceKind):
    key = "youtube"
    label = _("YouTube videos and comments")
    description = _("New videos found by a search, and new comments on chosen videos.")
    fields = (
        SourceField("terms", _("Search words"), _("New videos that match them."), required=False),
        SourceField(
            "videos",
            _("Videos to read comments on"),
            _("Video ids or addresses, separated by commas or spaces."),
            required=False,
        ),
    )

    @classmethod
    def available(cls) -> bool:
        return bool(getattr(settings, "CHORUS_YOUTUBE_API_KEY", ""))

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        if not (str(settings.get("terms", "")).strip() or video_ids(settings)):
            raise Permanent(gettext("Enter search words, videos whose comments to read, or both."))
        if len(video_ids(settings)) > MAX_VIDEOS:
            raise Permanent(
                gettext("Choose at most %(count)d videos per source.") % {"count": MAX_VIDEOS}
            )

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        self.check_settings(self.settings)
        now = datetime.now(tz=UTC)
        units, state = Units(cursor, now), dict(cursor)
        posts: list[HeardPost] = []
        wait: float | None = None
        try:
            if str(self.settings.get("terms", "")).strip():
                posts += self._new_videos(units, state)
            for video in video_ids(self.settings):
                posts += self._new_comments(units, state, video)
        except OutOfUnits:
            wait = seconds_to_reset(now)  # what was read so far is kept, with its cursor
        state["quota"] = units.as_cursor()
        return Batch(
            posts=sorted(posts, key=lambda p: p.published_at), cursor=state, wait_seconds=wait
        )

    def _new_videos(self, units: Units, state: dict[str, Any]) -> list[HeardPost]:
        params: dict[str, Any] = {
            "part": "snippet",
            "type": "video",
            "order": "date",
            "maxResults": 50,
        }
        params["q"] = str(self.settings["terms"]).strip()
        since = parse_iso(state.get("published_after"))
        if since:
            params["publishedAfter"] = since.isoformat().replace("+00:00", "Z")
        units.spend(SEARCH_COST)
        items = as_list(self._get("search", params).get("items"))
        seen = set(state.get("videos_seen", []))
        posts = [p for p in map(heard_video, items) if p is not None and p.remote_id not in seen]
        if posts:
            state["published_after"] = max(p.published_at for p in posts).isoformat()
            state["videos_seen"] = [p.remote_id for p in posts][-100:]
        return posts

    def _new_comments(self, units: Units, state: dict[str, Any], video: str) -> list[HeardPost]:
        params = {"part": "snippet", "videoId": video, "order": "time", "maxResults": 100}
        params["textFormat"] = "plainText"
        units.spend(LIST_COST)
        items = as_list(self._get("commentThreads", params).get("items"))
        since_by_video: dict[str, str] = dict(state.get("comments_since", {}))
        since = parse_iso(since_by_video.get(video))
        posts = [p for p in map(heard_comment, items) if p is not None]
        fresh = [p for p in posts if since is None or p.published_at > since]
        if posts:
            since_by_video[video] = max(p.published_at for p in posts).isoformat()
            state["comments_since"] = since_by_video
        return fresh

    def _get(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        url = f"{api_root('CHORUS_YOUTUBE_API', DEFAULT_API)}/{what}"
        params = {**params, "key": str(getattr(settings, "CHORUS_YOUTUBE_API_KEY", ""))}
        with chorus_http.translate_errors():
            response = self.http.get(url, params=params)
        raise_for_youtube(response)
        return as_dict(read_json(response, "YouTube"))


def raise_for_youtube(response: httpx.Response) -> None:
    """YouTube says "quota exceeded" with a 403: that is a wait until the reset, not a refusal."""
    if response.status_code == 403:
        errors = as_list(
            as_dict(as_dict(read_json(response, "YouTube")).get("error")).get("errors")
        )
        reasons = {as_str(as_dict(e).get("reason")) for e in errors}
        if reasons & {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}:
            raise RateLimited(
                "YouTube's daily quota for this installation is spent.",
                retry_after=seconds_to_reset(datetime.now(tz=UTC)),
                detail=", ".join(sorted(reasons)),
            )
        if "commentsDisabled" in reasons:
            raise Permanent(
                gettext("Comments are turned off on one of the chosen videos: remove it.")
            )
    chorus_http.raise_for_status(response)


def video_ids(settings: Mapping[str, Any]) -> list[str]:
    """Ids from ids or watch/short addresses (``v=`` or the last path part)."""
    ids = []
    for word in str(settings.get("videos", "")).replace(",", " ").split():
        if "v=" in word:
            word = word.split("v=", 1)[1].split("&")[0]
        elif "/" in word:
            word = word.rstrip("/").rsplit("/", 1)[1].split("?")[0]
        if word:
            ids.append(word)
    return list(dict.fromkeys(ids))


def heard_video(item: Any) -> HeardPost | None:
    item = as_dict(item)
    video, snippet = as_str(as_dict(item.get("id")).get("videoId")), as_dict(item.get("snippet"))
    published = parse_iso(snippet.get("publishedAt"))
    if not video or published is None:
        return None
    channel = as_str(snippet.get("channelId"))
    return HeardPost(
        network="youtube",
        remote_id=f"video:{video}",
        url=WATCH.format(video),
        title=as_str(snippet.get("title"))[:500],
        text=as_str(snippet.get("description")) or as_str(snippet.get("title")),
        published_at=published,
        author_id=channel,
        author_name=as_str(snippet.get("channelTitle")),
        author_url=f"https://www.youtube.com/channel/{channel}" if channel else "",
        extras={"kind": "video"},
    )


def heard_comment(item: Any) -> HeardPost | None:
    snippet = as_dict(as_dict(item).get("snippet"))
    top = as_dict(snippet.get("topLevelComment"))
    comment = as_dict(top.get("snippet"))
    published = parse_iso(comment.get("publishedAt"))
    comment_id, video = as_str(top.get("id")), as_str(snippet.get("videoId"))
    if not comment_id or published is None:
        return None
    author = as_dict(comment.get("authorChannelId")).get("value")
    return HeardPost(
        network="youtube",
        remote_id=f"comment:{comment_id}",
        url=f"{WATCH.format(video)}&lc={comment_id}",
        text=as_str(comment.get("textDisplay") or comment.get("textOriginal")),
        published_at=published,
        author_id=as_str(author),
        author_name=as_str(comment.get("authorDisplayName")),
        author_url=as_str(comment.get("authorChannelUrl")),
        extras={"kind": "comment", "video": video, "likes": comment.get("likeCount")},
    )
