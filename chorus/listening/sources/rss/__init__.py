"""RSS and Atom feeds: blogs, forums, news sites, a blogger's feed, Google Alerts feeds."""

from chorus.listening.sources.rss.source import RssSource

__all__ = ["RssSource"]
