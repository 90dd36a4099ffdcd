"""The narrow interface every listening source follows.

A source reads one place (a feed, a hashtag, a search) from a cursor and returns what it heard
with the cursor to save *with* that batch. It never writes to the database and never matches
queries: ``chorus.listening.polling`` stores the batch and the cursor in one transaction and
Chorus matches every query on the text itself. Errors are the network error classes of
``chorus.channels.errors`` (Transient, RateLimited(retry_after), AuthExpired, Permanent), so the
backoff is decided the same way as for networks.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import httpx
from django.utils.functional import Promise


@dataclass(frozen=True)
class HeardPost:
    """One post, article or comment as a source heard it (public text: untrusted)."""

    network: str  # where it was written: "rss", "mastodon", "bluesky", "hackernews"…
    remote_id: str  # stable id on that network (entry id, status URI, at:// URI…)
    url: str
    text: str
    published_at: datetime  # aware, UTC
    title: str = ""
    author_id: str = ""  # the network's id of the author, when it has one
    author_handle: str = ""
    author_name: str = ""
    author_url: str = ""
    reach: int | None = None  # the author's followers, when the source gives it
    language: str = ""  # as the source declares it; the classifier decides otherwise
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Batch:
    posts: list[HeardPost]
    cursor: dict[str, Any]  # saved with this batch; passed back on the next fetch
    # The source asks to be polled again no sooner than this many seconds (rate limits, quota).
    wait_seconds: float | None = None


@dataclass(frozen=True)
class SourceField:
    """One setting a person fills in when adding the source (nothing secret)."""

    name: str
    label: str | Promise
    help_text: str | Promise = ""
    required: bool = True
    kind: str = "text"  # "text" or "url"


class SourceKind(abc.ABC):
    """A kind of source (one subclass per package). Built with the source's settings, its
    connected channel's credentials and settings (when ``channel_network`` names one) and the
    one HTTP client; ``fetch`` is the only thing polling calls."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]
    description: ClassVar[str | Promise] = ""  # one line on the "add a source" page
    fields: ClassVar[tuple[SourceField, ...]] = ()
    # The network of the connected account it reads with ("mastodon", "bluesky"), or None.
    channel_network: ClassVar[str | None] = None
    # Pages list the kinds themselves: a template must read ``kind.label``, not call the class.
    do_not_call_in_templates: ClassVar[bool] = True

    def __init__(
        self,
        settings: Mapping[str, Any],
        *,
        http: httpx.Client,
        channel_credentials: Mapping[str, Any] | None = None,
        channel_settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.settings = settings
        self.http = http
        self.channel_credentials = channel_credentials or {}
        self.channel_settings = channel_settings or {}

    @classmethod
    def available(cls) -> bool:
        """False when the operator has not configured what it needs (an API key, an app)."""
        return True

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        """Raise ``Permanent`` (in words a person can act on) when these settings cannot work,
        so the form that adds the source says so before anything is stored."""
        return None  # noqa: B027 - most kinds have nothing to check beyond their fields

    def rotated_credentials(self) -> dict[str, Any] | None:
        """New credentials of the connected channel to store after ``fetch`` (a session that
        was renewed), or None. Only kinds that read with an account override it."""
        return None

    @abc.abstractmethod
    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        """What was published since ``cursor``, oldest first, and the cursor to save with it."""
