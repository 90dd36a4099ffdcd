"""Bluesky: ``app.bsky.feed.searchPosts`` with a connected account."""

from chorus.listening.sources.bluesky.source import BlueskySource

__all__ = ["BlueskySource"]
