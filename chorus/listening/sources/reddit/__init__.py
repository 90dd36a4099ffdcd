"""Reddit: a search or a subreddit's newest posts, with the operator's approved OAuth client."""

from chorus.listening.sources.reddit.source import RedditSource

__all__ = ["RedditSource"]
