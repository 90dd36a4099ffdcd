"""YouTube: new videos found by a search, and comments on chosen videos, with an API key."""

from chorus.listening.sources.youtube.source import YouTubeSource

__all__ = ["YouTubeSource"]
