"""Every kind of listening source, by key, imported lazily (like the networks' registry)."""

from __future__ import annotations

import functools
import importlib

from chorus.listening.sources.base import SourceKind

SOURCES: dict[str, str] = {
    "rss": "chorus.listening.sources.rss.RssSource",
    "mastodon": "chorus.listening.sources.mastodon.MastodonSource",
    "bluesky": "chorus.listening.sources.bluesky.BlueskySource",
    "hackernews": "chorus.listening.sources.hackernews.HackerNewsSource",
    "reddit": "chorus.listening.sources.reddit.RedditSource",
    "youtube": "chorus.listening.sources.youtube.YouTubeSource",
}


class UnknownSource(KeyError):
    pass


@functools.cache
def get_source(key: str) -> type[SourceKind]:
    try:
        dotted = SOURCES[key]
    except KeyError:
        raise UnknownSource(key) from None
    module_name, _, class_name = dotted.rpartition(".")
    kind: type[SourceKind] = getattr(importlib.import_module(module_name), class_name)
    return kind


def available_sources() -> list[type[SourceKind]]:
    """The kinds a person can add on this installation (configured by the operator)."""
    return [get_source(key) for key in SOURCES if get_source(key).available()]
