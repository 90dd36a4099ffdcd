"""Hacker News stories and comments, through Algolia's search API."""

from chorus.listening.sources.hackernews.source import HackerNewsSource

__all__ = ["HackerNewsSource"]
