"""YouTube search and comment threads with the operator's API key, over real HTTP on loopback.

No recording of the YouTube Data API exists in ../shared/fixtures: the answers follow the
documented ``search.list`` and ``commentThreads.list`` resources, as the docs page says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from chorus.channels.errors import Permanent, RateLimited
from chorus.listening.sources.registry import available_sources
from chorus.listening.sources.youtube import YouTubeSource
from chorus.listening.sources.youtube.quota import pacific_day, seconds_to_reset
from tests.loopback import Loopback, Reply

SEARCH = "/youtube/v3/search"
THREADS = "/youtube/v3/commentThreads"


@pytest.fixture(autouse=True)
def _api_key(server: Loopback, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_YOUTUBE_API_KEY = "operator-key"
    settings.CHORUS_YOUTUBE_API = server.root + "/youtube/v3"
    settings.CHORUS_YOUTUBE_DAILY_UNITS = 10_000


def video(video_id: str, at: str, title: str) -> dict[str, Any]:
    return {
        "kind": "youtube#searchResult",
        "etag": "e",
        "id": {"kind": "youtube#video", "videoId": video_id},
        "snippet": {
            "publishedAt": at,
            "channelId": "UCreviewer",
            "title": title,
            "description": f"{title}: a long look.",
            "thumbnails": {},
            "channelTitle": "Gadget Grumbles",
            "liveBroadcastContent": "none",
            "publishTime": at,
        },
    }


def thread(comment_id: str, at: str, text: str) -> dict[str, Any]:
    return {
        "kind": "youtube#commentThread",
        "etag": "e",
        "id": comment_id,
        "snippet": {
            "channelId": "UCbrand",
            "videoId": "vid123",
            "topLevelComment": {
                "kind": "youtube#comment",
                "etag": "e",
                "id": comment_id,
                "snippet": {
                    "channelId": "UCbrand",
                    "videoId": "vid123",
                    "textDisplay": text,
                    "textOriginal": text,
                    "authorDisplayName": "@rider",
                    "authorProfileImageUrl": "https://yt3.ggpht.com/x",
                    "authorChannelUrl": "http://www.youtube.com/@rider",
                    "authorChannelId": {"value": "UCrider"},
                    "canRate": True,
                    "viewerRating": "none",
                    "likeCount": 4,
                    "publishedAt": at,
                    "updatedAt": at,
                },
            },
            "canReply": True,
            "totalReplyCount": 0,
            "isPublic": True,
        },
    }


def listing(kind: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": kind, "etag": "e", "pageInfo": {"totalResults": len(items)}, "items": items}


def test_new_videos_and_comments_are_heard_with_their_cost(
    server: Loopback, http: httpx.Client
) -> None:
    videos = [
        video("v2", "2026-12-06T10:00:00Z", "Chorus bike review"),
        video("v1", "2026-12-05T10:00:00Z", "Chorus unboxing"),
    ]
    server.on("GET", SEARCH, Reply(body=listing("youtube#searchListResponse", videos)))
    threads = [
        thread("c2", "2026-12-06T11:00:00Z", "Mine broke after a week"),
        thread("c1", "2026-12-06T09:00:00Z", "Love it"),
    ]
    server.on("GET", THREADS, Reply(body=listing("youtube#commentThreadListResponse", threads)))
    source = YouTubeSource(
        {"terms": "chorus bike", "videos": "https://www.youtube.com/watch?v=vid123"}, http=http
    )

    batch = source.fetch({})

    assert [p.remote_id for p in batch.posts] == [
        "video:v1",
        "comment:c1",
        "video:v2",
        "comment:c2",
    ]
    broke = batch.posts[-1]
    assert broke.text == "Mine broke after a week" and broke.author_name == "@rider"
    assert broke.url == "https://www.youtube.com/watch?v=vid123&lc=c2"
    assert broke.published_at == datetime(2026, 12, 6, 11, tzinfo=UTC)
    searched = server.requests(SEARCH)[0].query
    assert searched["order"] == "date" and searched["key"] == "operator-key"
    assert server.requests(THREADS)[0].query["videoId"] == "vid123"
    assert batch.cursor["quota"]["used"] == 101
    assert batch.cursor["published_after"].startswith("2026-12-06T10:00:00")


def test_the_next_poll_asks_after_the_newest_video_and_skips_old_comments(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("GET", SEARCH, Reply(body=listing("youtube#searchListResponse", [])))
    threads = [
        thread("c3", "2026-12-06T12:00:00Z", "Fixed now"),
        thread("c2", "2026-12-06T11:00:00Z", "old"),
    ]
    server.on("GET", THREADS, Reply(body=listing("youtube#commentThreadListResponse", threads)))
    cursor = {
        "published_after": "2026-12-06T10:00:00+00:00",
        "comments_since": {"vid123": "2026-12-06T11:00:00+00:00"},
    }

    batch = YouTubeSource({"terms": "chorus", "videos": "vid123"}, http=http).fetch(cursor)

    assert [p.remote_id for p in batch.posts] == ["comment:c3"]
    assert server.requests(SEARCH)[0].query["publishedAfter"] == "2026-12-06T10:00:00Z"


def test_the_source_stops_before_the_daily_quota_and_waits_for_pacific_midnight(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("GET", THREADS, Reply(body=listing("youtube#commentThreadListResponse", [])))
    now = datetime.now(tz=UTC)
    spent = {"quota": {"day": pacific_day(now), "used": 9_950}}

    batch = YouTubeSource({"terms": "chorus", "videos": "vid123"}, http=http).fetch(spent)

    assert server.requests(SEARCH) == []  # 100 more units would cross 10,000
    assert batch.wait_seconds is not None
    assert abs(batch.wait_seconds - seconds_to_reset(now)) < 60
    assert batch.cursor["quota"]["used"] == 9_950


def test_yesterdays_count_does_not_hold_today_back(server: Loopback, http: httpx.Client) -> None:
    server.on("GET", SEARCH, Reply(body=listing("youtube#searchListResponse", [])))

    batch = YouTubeSource({"terms": "chorus"}, http=http).fetch(
        {"quota": {"day": "2020-01-01", "used": 10_000}}
    )

    assert batch.wait_seconds is None and batch.cursor["quota"]["used"] == 100


def test_quota_exceeded_from_youtube_waits_for_the_reset(
    server: Loopback, http: httpx.Client
) -> None:
    refusal = {"error": {"code": 403, "message": "quota", "errors": [{"reason": "quotaExceeded"}]}}
    server.on("GET", SEARCH, Reply(403, refusal))

    with pytest.raises(RateLimited) as raised:
        YouTubeSource({"terms": "chorus"}, http=http).fetch({})

    assert raised.value.retry_after > 0


def test_a_bad_key_is_a_refusal(server: Loopback, http: httpx.Client) -> None:
    refusal = {
        "error": {
            "code": 400,
            "message": "API key not valid.",
            "errors": [{"reason": "badRequest"}],
        }
    }
    server.on("GET", SEARCH, Reply(400, refusal))

    with pytest.raises(Permanent, match="API key not valid"):
        YouTubeSource({"terms": "chorus"}, http=http).fetch({})


def test_youtube_is_offered_only_with_a_key(settings) -> None:  # type: ignore[no-untyped-def]
    assert YouTubeSource in available_sources()
    settings.CHORUS_YOUTUBE_API_KEY = ""
    assert YouTubeSource not in available_sources()


def test_pacific_midnight_is_the_reset() -> None:
    # 07:59 UTC on a winter day is 23:59 in Los Angeles: one minute to the reset.
    assert seconds_to_reset(datetime(2026, 12, 7, 7, 59, tzinfo=UTC)) == 60
    assert pacific_day(datetime(2026, 12, 7, 7, 59, tzinfo=UTC)) == "2026-12-06"
