"""The narrow interface between Chorus and a social network.

``Network`` describes a network once (what it can do, its limits, how text is counted). A
``Connection`` is bound to one connected account and is the only thing that talks to the network.
Code asks ``network.can(Capability.X)`` before calling the matching method: there are no methods
that only raise "not implemented".

Connections never touch the database: they take credentials and settings as plain dicts and return
plain data classes, so each connector is tested against recorded or real traffic on its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, ClassVar

import httpx
import regex
from django.utils.functional import Promise

from chorus.channels.steps import ChannelSteps

if TYPE_CHECKING:
    from chorus.channels.oauth import OAuthSetup
from chorus.core import http as chorus_http


class Capability(StrEnum):
    PUBLISH = "publish"
    THREAD = "thread"
    MEDIA = "media"
    ALT_TEXT = "alt_text"
    VIDEO = "video"
    POLL = "poll"
    CONTENT_WARNING = "content_warning"
    VISIBILITY = "visibility"
    LINK_CARD = "link_card"
    FIRST_COMMENT = "first_comment"
    INBOX = "inbox"
    REPLY = "reply"
    HIDE = "hide"
    DELETE = "delete"
    BAN = "ban"
    METRICS = "metrics"
    SEARCH = "search"
    WEBHOOK = "webhook"
    IDEMPOTENCY_KEY = "idempotency_key"


class CountMode(StrEnum):
    CHARACTERS = "characters"  # Unicode code points
    GRAPHEMES = "graphemes"  # what a person sees as one character (Bluesky)
    UTF16 = "utf16"  # JavaScript string length (Discord, Telegram)


URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    max_chars: int
    # With pictures or a video the text may become a caption with its own, lower limit
    # (Telegram: 1,024 against 4,096); None where the text keeps ``max_chars``.
    max_caption_chars: int | None = None
    count_mode: CountMode = CountMode.CHARACTERS
    url_weight: int | None = None  # every link counts as this many characters (Mastodon: 23)
    max_media: int = 0
    image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/webp")
    video_types: tuple[str, ...] = ()
    max_image_bytes: int = 0
    max_video_bytes: int = 0
    max_alt_text: int = 1500
    requires_media: bool = False
    poll_max_options: int = 0


CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class MediaFile:
    """A picture or video to send, streamed to the network and never read whole into memory.

    ``source`` opens the stored file (a fresh stream each time: a request may be sent again)
    and ``size`` is its length; ``data`` holds what is small and already in memory (a link
    card's thumbnail). Connectors use :meth:`opened`, :meth:`chunks` and :attr:`byte_size`.
    """

    filename: str
    mime_type: str
    data: bytes = b""
    alt_text: str = ""
    source: Callable[[], IO[bytes]] | None = field(default=None, compare=False, repr=False)
    size: int | None = None
    # Where the network may fetch the file itself (Instagram and Threads take no upload, only an
    # address): a signed, expiring link to Chorus, filled by publishing; empty when not needed.
    public_url: str = ""

    @contextmanager
    def opened(self) -> Iterator[IO[bytes]]:
        """The file as a stream (for multipart uploads: httpx reads it in chunks)."""
        stream = self.source() if self.source is not None else io.BytesIO(self.data)
        try:
            yield stream
        finally:
            stream.close()

    def chunks(self) -> Iterator[bytes]:
        """The file piece by piece (for raw uploads; send ``byte_size`` as Content-Length)."""
        with self.opened() as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield chunk

    @property
    def byte_size(self) -> int:
        if self.size is not None:
            return self.size
        if self.source is None:
            return len(self.data)
        with self.opened() as stream:  # unknown: measure without reading it into memory
            return stream.seek(0, io.SEEK_END)


@dataclass(frozen=True)
class OutgoingPost:
    """One piece of content to send: a post, one part of a thread, or a reply."""

    text: str
    media: tuple[MediaFile, ...] = ()
    reply_to: str = ""  # the network's id of the post this answers (threads, first comment)
    options: dict[str, Any] = field(default_factory=dict)  # cw, visibility, poll, link…
    idempotency_key: str = ""


@dataclass(frozen=True)
class PublishedPost:
    remote_id: str
    url: str = ""
    published_at: datetime | None = None
    text: str = ""


@dataclass(frozen=True)
class RateLimitState:
    """What a network's last answer said of the requests left, from its rate-limit headers."""

    remaining: int | None = None
    reset_at: datetime | None = None  # when the budget fills up again (UTC)

    @classmethod
    def from_response(cls, response: httpx.Response) -> RateLimitState | None:
        """``X-RateLimit-Remaining`` / ``-Reset`` (Mastodon, X…), or a bare ``Retry-After``."""
        headers = response.headers
        remaining_header = headers.get("x-ratelimit-remaining")
        if remaining_header is None and "retry-after" not in headers:
            return None
        try:
            remaining = int(remaining_header) if remaining_header is not None else 0
        except ValueError:
            return None
        wait = chorus_http.retry_after_seconds(response, default=-1.0)
        reset_at = datetime.now(UTC) + timedelta(seconds=wait) if wait >= 0 else None
        return cls(remaining=remaining, reset_at=reset_at)


@dataclass(frozen=True)
class PostMetrics:
    # None: the network did not give this figure (shown as not available, never as 0).
    likes: int | None = 0
    shares: int | None = 0
    replies: int | None = 0
    views: int | None = None
    extra: dict[str, int] = field(default_factory=dict)
    # Figures the network did not give this time (Meta's "not enough viewers", a refused
    # metric): stored as not available, never as the 0 their field defaults to.
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AccountInfo:
    """An account on a network as the network describes it: a connected channel's own account
    (``whoami``) or the author of a message (``InboxItem.author``)."""

    remote_id: str
    handle: str
    display_name: str = ""
    url: str = ""
    avatar_url: str = ""
    followers: int | None = None


Author = AccountInfo  # a message's author is an account like any other


@dataclass(frozen=True)
class Attachment:
    """A picture, video, sound or file sent with a message, as the network describes it."""

    kind: str  # "image" | "video" | "gifv" | "audio" | "file" | "link" (a link card)
    url: str = ""  # where to open it; empty when the network gives no public address
    alt_text: str = ""  # the description its author wrote, or the file's name
    preview_url: str = ""  # a small version, for a thumbnail


@dataclass(frozen=True)
class PollOption:
    title: str
    votes: int | None = None  # None while the network hides the count


@dataclass(frozen=True)
class Poll:
    options: tuple[PollOption, ...]
    closes_at: datetime | None = None
    voters: int | None = None
    closed: bool = False


@dataclass(frozen=True)
class QuotedPost:
    """The post a message quotes (Mastodon quotes, Bluesky record embeds)."""

    url: str = ""
    author: str = ""  # handle, or the network's id when the handle is not given
    text: str = ""


@dataclass(frozen=True)
class InboxItem:
    """A comment, reply, mention or direct message as the network gave it."""

    remote_id: str
    kind: str  # "comment" | "reply" | "mention" | "direct"
    conversation_id: str  # the thread it belongs to, as the network names it
    author: Author
    text: str
    created_at: datetime
    in_reply_to: str = ""
    url: str = ""
    media: tuple[Attachment, ...] = ()
    poll: Poll | None = None
    quoted: QuotedPost | None = None
    edited_at: datetime | None = None  # set when the author changed it after posting
    content_warning: str = ""  # an answer should carry it too
    # Everyone else the message is addressed to (handles): a reply in a group direct
    # conversation must name them all, or they never see it.
    addressed_to: tuple[str, ...] = ()
    # Hidden on the network before Chorus read it (a Page's hidden comment): stored as hidden.
    hidden: bool = False


@dataclass(frozen=True)
class WebhookNews:
    """What a webhook delivery says beyond new messages, for one account: messages removed or
    hidden on the network (by their ``remote_id``), and mentions it names only by ids (an
    Instagram mention: ``(comment id, media id)``, the comment id empty for a caption) that
    Chorus then reads from the network."""

    deleted: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    mentions: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.deleted or self.hidden or self.shown or self.mentions)


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    cursor: str = ""  # where the next poll should start


@dataclass(frozen=True)
class SettingField:
    """One setting asked for on the connect form. Labels are ``gettext_lazy`` strings."""

    label: str | Promise
    help_text: str | Promise = ""
    required: bool = True
    is_url: bool = False  # normalised and checked like a server address


@dataclass(frozen=True)
class CredentialField:
    """One credential asked for on the connect form, stored encrypted in the channel.

    ``secret`` is said by the network, never guessed from the name: a secret is a password input
    that never shows its value again (not even prefilled on reconnect). ``asked=False`` is a
    credential the network's connect step fills in by itself (Matrix's user id after a password
    sign-in). ``strip=False`` keeps spaces a password may really end with; pasted tokens often
    carry a newline and are stripped.
    """

    label: str | Promise
    secret: bool
    help_text: str | Promise = ""
    required: bool = True
    asked: bool = True
    strip: bool = True


class Network:
    """Class-level description of a network. Subclasses set the class attributes."""

    key: ClassVar[str]
    label: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    limits: ClassVar[Limits]
    # One line on what works, for the "Connect a channel" grid.
    tagline: ClassVar[str | Promise] = ""
    # Credentials a person fills in to connect (or an OAuth flow fills in), stored encrypted.
    credential_fields: ClassVar[dict[str, CredentialField]] = {}
    # Non-secret settings asked for when connecting (server address, room, chat…), stored in
    # ``Channel.settings``; the connect form is built from both dicts.
    settings_fields: ClassVar[dict[str, SettingField]] = {}
    # Asked on the form, used once by the network's connect step, never stored (Matrix's
    # "or sign in with a password").
    sign_in_fields: ClassVar[dict[str, CredentialField]] = {}
    sign_in_heading: ClassVar[str | Promise] = ""  # the divider shown above them
    # Groups of fields of which at least one must be filled in completely, and what to say
    # when none is; the fields of these groups are optional one by one.
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    one_of_message: ClassVar[str | Promise] = ""
    connection_class: ClassVar[type[Connection]]
    # The network's own steps and page section (``chorus/channels/steps.py``), and its own
    # pages: a dotted module whose ``urlpatterns`` join the channels' URLs.
    steps: ClassVar[ChannelSteps] = ChannelSteps()
    urls: ClassVar[str] = ""
    # How a post looks there, in the composer's preview: a template of the package
    # (``templates/<key>/preview.html``); "" for the shared look.
    preview_template: ClassVar[str] = ""
    # Connected by signing in on the network (``chorus/channels/oauth.py``) rather than with
    # the credentials form; None for form networks.
    oauth: ClassVar[OAuthSetup | None] = None
    # The figures it gives (``chorus/channels/metrics.py``), with Capability.METRICS: for a
    # post (likes, shares, replies, views, or an ``extra`` count) and for the account.
    post_metrics: ClassVar[frozenset[str]] = frozenset()
    account_metrics: ClassVar[frozenset[str]] = frozenset()
    # The network fetches pictures and videos from an address instead of taking an upload
    # (Instagram, Threads): publishing fills ``MediaFile.public_url`` with a signed, expiring
    # link to Chorus, and the connect page warns when CHORUS_BASE_URL is not reachable.
    fetches_media: ClassVar[bool] = False

    @classmethod
    def missing_setup(cls) -> str:
        """What the operator must set up before anyone can connect it (a Meta app for
        Facebook), in words for the connect grid; "" when it is ready."""
        return ""

    @classmethod
    def can(cls, capability: Capability) -> bool:
        return capability in cls.capabilities

    @classmethod
    def is_offered(cls) -> bool:
        """Whether the connect page offers it: a network that needs the operator's own app
        (Meta's) is offered only once its id and secret are set."""
        return True

    @classmethod
    def count_text(cls, text: str) -> int:
        """Length of ``text`` counted the network's way."""
        counted = text
        if cls.limits.url_weight is not None:
            counted = URL_RE.sub("x" * cls.limits.url_weight, counted)
        if cls.limits.count_mode is CountMode.GRAPHEMES:
            return len(regex.findall(r"\X", counted))
        if cls.limits.count_mode is CountMode.UTF16:
            return len(counted.encode("utf-16-le")) // 2
        return len(counted)

    @classmethod
    def text_problems(cls, text: str) -> list[tuple[str, str]]:
        """Rules on the text beyond its length (Instagram: at most 30 hashtags), as
        ``(code, message)`` pairs in the person's language; none for most networks."""
        return []

    @classmethod
    def connect(
        cls,
        credentials: dict[str, Any],
        settings: dict[str, Any] | None = None,
        *,
        http: httpx.Client | None = None,
    ) -> Connection:
        return cls.connection_class(cls, credentials, settings or {}, http=http)


class Connection:
    """One connected account. Methods exist for a capability only if the network declares it."""

    def __init__(
        self,
        network: type[Network],
        credentials: dict[str, Any],
        settings: dict[str, Any],
        *,
        http: httpx.Client | None = None,
    ) -> None:
        self.network = network
        self.credentials = dict(credentials)
        self.settings = dict(settings)
        self.http = http or chorus_http.client(base_url=self.base_url())
        # Set by connectors from each answer's headers (``RateLimitState.from_response``), so
        # the dispatcher can wait for the reset instead of being refused.
        self.last_rate_limit: RateLimitState | None = None

    def base_url(self) -> str:
        return str(self.settings.get("base_url", ""))

    def close(self) -> None:
        self.http.close()

    def whoami(self) -> AccountInfo:
        raise NotImplementedError  # every connector implements it: it is how connecting checks

    def publish(self, post: OutgoingPost) -> PublishedPost:
        raise NotImplementedError  # every publishing connector implements it

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        """The account's latest posts, used to reconcile an unconfirmed publication."""
        raise NotImplementedError

    def refreshed_credentials(self) -> dict[str, Any] | None:
        """New credentials if the network rotates them, else None (nothing to refresh)."""
        return None

    def rotated_credentials(self) -> dict[str, Any] | None:
        """Credentials the network changed during the calls made so far, handed over once to
        be stored; None when nothing changed (most networks never change them mid-call)."""
        return None
