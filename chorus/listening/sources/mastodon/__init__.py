"""Mastodon: a hashtag's timeline or a search, on the instance of a connected account."""

from chorus.listening.sources.mastodon.source import MastodonSource

__all__ = ["MastodonSource"]
