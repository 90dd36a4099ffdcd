"""What can go wrong when Chorus talks to a network, classified before anyone acts on it.

Invariant 5 of DESIGN.md: a timeout is not a dead token, and a request that may have reached the
network is never blindly retried. Every connector turns what it saw into exactly one of these.
"""

from __future__ import annotations

from chorus.core.redact import redact


class ChannelError(Exception):
    """Base class. ``message`` is written for a community manager, not for a developer."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        # Both may quote what a server echoed (a URL with a bot token in it): every copy of this
        # error, stored, shown or logged, starts from the redacted text.
        message, detail = redact(message), redact(detail)
        super().__init__(message)
        self.message = message
        self.detail = detail  # the network's own words, kept for the attempt log

    def __str__(self) -> str:
        return self.message


class Transient(ChannelError):
    """The network or the path to it failed, and the request surely did not take effect: retry."""


class RateLimited(ChannelError):
    """The network asked us to wait. ``retry_after`` is in seconds, from its own headers."""

    def __init__(self, message: str, *, retry_after: float, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.retry_after = max(0.0, retry_after)


class AuthExpired(ChannelError):
    """The credentials were refused: refresh once, then ask a person to reconnect."""


class Permanent(ChannelError):
    """The network refused this request for good (too long, forbidden, deleted): do not retry."""


class Unconfirmed(ChannelError):
    """The request may have reached the network but we never saw the answer.

    Retrying could publish twice; the dispatcher reconciles by reading the account's recent posts.
    """
