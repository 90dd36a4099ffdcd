"""What a connection (or a network) can do beyond publishing, one ``Protocol`` per capability.

A connector gets a capability by having the methods; generic code asks with :func:`capable`
(an object) or :func:`offers` (a network's connection class) and gets back a value mypy knows
the methods of. No ``hasattr``, no ``getattr`` by name, no ``# type: ignore[attr-defined]``.

The network still *declares* ``Capability.X`` (what the product offers, shown on the connect
grid); these say that the code is there. Both are checked before a button is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

from chorus.channels.base import (
    Connection,
    InboxItem,
    InboxPage,
    Limits,
    Network,
    Poll,
    PostMetrics,
    WebhookNews,
)
from chorus.channels.errors import Permanent

T = TypeVar("T")


# -- on a connection (one account) --------------------------------------------------------------


@runtime_checkable
class CanReadInbox(Protocol):
    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """What is new since ``cursor``, and where the next read starts."""
        ...


@runtime_checkable
class CanHide(Protocol):
    def hide(self, remote_id: str) -> None: ...


@runtime_checkable
class CanUnhide(Protocol):
    def unhide(self, remote_id: str) -> None: ...


@runtime_checkable
class CanDelete(Protocol):
    """Delete one of the account's own posts or replies."""

    def delete(self, remote_id: str) -> None: ...


@runtime_checkable
class CanRedact(Protocol):
    """Remove someone else's message (a moderator's delete)."""

    def redact(self, remote_id: str, reason: str = "") -> None: ...


@runtime_checkable
class CanKick(Protocol):
    def kick(self, user_id: str, reason: str = "") -> None: ...


@runtime_checkable
class CanBan(Protocol):
    def ban(self, user_id: str, reason: str = "") -> None: ...

    def unban(self, user_id: str, reason: str = "") -> None: ...


@runtime_checkable
class HasInstanceLimits(Protocol):
    """The account's own server sets its limits (a Mastodon instance)."""

    def instance_limits(self) -> Limits: ...


@runtime_checkable
class ReportsRights(Protocol):
    """The moderation verbs the account may NOT use where it is (admin rights, power level)."""

    def refused_verbs(self) -> frozenset[str]: ...


@runtime_checkable
class HasPostMetrics(Protocol):
    def metrics(self, remote_id: str) -> PostMetrics: ...


@runtime_checkable
class HasAudience(Protocol):
    """Account figures that ``whoami`` does not carry (a room's or chat's members, followers
    on another service), by the names of ``Network.account_metrics``."""

    def audience(self) -> dict[str, int]: ...


# -- polls (engagement) -------------------------------------------------------------------------


@runtime_checkable
class ReadsPoll(Protocol):
    """A native poll's counts as they stand (``PollOption.votes`` is None while the network
    hides them until closing)."""

    def read_poll(self, remote_id: str) -> Poll: ...


@runtime_checkable
class ClosesPoll(Protocol):
    """Stop a native poll at Chorus's closing time; the network answers with the final counts
    (Telegram's ``stopPoll``: a bot cannot read a poll's counts any other way)."""

    def close_poll(self, remote_id: str) -> Poll: ...


@dataclass(frozen=True)
class Reaction:
    """One person's emoji on a post (``sender`` as the network names them)."""

    sender: str
    key: str


@runtime_checkable
class TalliesReactions(Protocol):
    """The reactions on one of the account's posts, oldest first, the account's own left out:
    a poll where the network has none is answered with one emoji per option."""

    def reactions(self, remote_id: str) -> list[Reaction]: ...


@runtime_checkable
class ReadsMentions(Protocol):
    """Reads one mention a webhook named by ids only (Instagram: a comment or a caption that
    @mentions the account, which no list gives to poll)."""

    def mentioned_comment(self, comment_id: str, media_id: str = "") -> InboxItem: ...

    def mentioned_media(self, media_id: str) -> InboxItem: ...


# -- on a network (class-level) ---------------------------------------------------------------


@runtime_checkable
class ReceivesWebhooks(Protocol):
    """A network that pushes to one address per channel (``Capability.WEBHOOK``)."""

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool: ...

    def parse_webhook(self, body: bytes) -> list[InboxItem]: ...


@runtime_checkable
class SharesOneWebhook(Protocol):
    """One webhook serves several channels (a Telegram bot in several chats): which items are
    the channel's (``remote_id`` is the channel's own)."""

    def belongs_to_channel(self, remote_id: str, item: InboxItem) -> bool: ...


@runtime_checkable
class ReceivesAppWebhooks(Protocol):
    """One address for the network's app (``/webhooks/<network>/``), as Meta and X do: a GET
    challenge proves Chorus owns it, deliveries are signed with the app's secret (the network
    reads it from its settings) and say which accounts they are for."""

    def answer_challenge(self, query: Mapping[str, str]) -> str | None:
        """The body to answer the verification GET with, or None to refuse it."""
        ...

    def verify_app_webhook(self, headers: Mapping[str, str], body: bytes) -> bool: ...

    def route_app_webhook(self, body: bytes) -> dict[str, list[InboxItem]]:
        """The delivery's items by the ``remote_id`` of the account (channel) they are for."""
        ...


@runtime_checkable
class ReportsAppWebhookNews(Protocol):
    """An app webhook that also says what was removed or hidden on the network (Meta's
    ``verb: remove`` / ``hide``), by the ``remote_id`` of the account it is for."""

    def app_webhook_news(self, body: bytes) -> dict[str, WebhookNews]: ...


# -- asking -------------------------------------------------------------------------------------


def capable(thing: object, able: Callable[..., T]) -> T | None:
    """``thing`` typed as the capability ``able`` (one of the protocols above), or None.

    ``able`` is typed as a callable because mypy refuses a Protocol where ``type[T]`` is
    expected; the casts stay here, and callers get a checked type.
    """
    return cast(T, thing) if isinstance(thing, cast(type, able)) else None


def offers(network: type[Network], able: Callable[..., Any]) -> bool:
    """Whether the network's connections have the capability ``able`` (no connection made)."""
    return issubclass(network.connection_class, cast(type, able))


def required(connection: Connection, able: Callable[..., T], what: str) -> T:
    """The connection as ``able``, or a Permanent error naming what the network cannot do
    (callers check ``offers`` first; this is the safety net, in the attempt log's words)."""
    found = capable(connection, able)
    if found is None:
        raise Permanent(f"{connection.network.label} cannot {what}.")
    return found
