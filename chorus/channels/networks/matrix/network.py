"""Matrix: announce in a room, read and answer what people say there, moderate it.

A Chorus channel on Matrix is one bot account in one room. Posting uses the client-server API's
own idempotency: every event is sent with a transaction id, and a homeserver that sees the same
transaction id again from the same device answers with the event it already made instead of
posting twice. The post's ``idempotency_key`` is that transaction id, so a retry is always safe.
"""

from __future__ import annotations

import io
import json
from typing import IO, Any, ClassVar
from uuid import uuid4

from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CredentialField,
    InboxPage,
    Limits,
    MediaFile,
    Network,
    OutgoingPost,
    PublishedPost,
    SettingField,
)
from chorus.channels.errors import Permanent

from . import inbox
from .api import CLIENT, NOT_ALLOWED_TO_POST, call, login_with_password, part
from .connect import MatrixSteps
from .figures import Figures
from .formatting import to_html
from .moderation import Moderation

__all__ = ["Matrix", "MatrixConnection", "login_with_password"]

# Content key on the last event of a post listing the image events sent before it, so deleting
# the post removes its pictures too (Matrix has one picture per event).
PARTS_KEY = "org.chorus.parts"
HTML_COPY_BUDGET = 56 * 1024  # bytes of content, leaving room for the event's own fields


class MatrixConnection(Figures, Moderation, Connection):
    """One bot account, announcing in the room named in the channel settings."""

    sync_limit: ClassVar[int] = 50  # messages per room and page; older ones are fetched separately
    max_gap_pages: ClassVar[int] = 20  # bounds the catch-up after a long pause

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room_id = ""
        self._user_id = str(self.credentials.get("user_id", ""))
        self._senders: dict[str, str] = {}  # event id -> sender, for "is it a reply to us?"
        # Events seen or fetched, by id, to walk reply chains up to their conversation; None
        # for one that is gone or hidden from us.
        self._events: dict[str, dict[str, Any] | None] = {}

    def base_url(self) -> str:
        return str(self.settings.get("base_url", "")).rstrip("/")

    def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        token = str(self.credentials.get("access_token", ""))
        return call(self.http, method, path, token=token, **kw)

    def room_id(self) -> str:
        """The configured room as an id; an alias (#room:server) is looked up once."""
        if not self._room_id:
            room = str(self.settings.get("room", "")).strip()
            if not room:
                raise Permanent("No Matrix room is set for this channel.")
            if room.startswith("#"):
                found = self._call("GET", f"{CLIENT}/directory/room/{part(room)}")
                room = str(found.get("room_id", ""))
            self._room_id = room
        return self._room_id

    def user_id(self) -> str:
        if not self._user_id:
            self._user_id = str(self._call("GET", f"{CLIENT}/account/whoami").get("user_id", ""))
        return self._user_id

    def whoami(self) -> AccountInfo:
        me = self._call("GET", f"{CLIENT}/account/whoami")
        self._user_id = str(me.get("user_id", ""))
        try:
            profile = self._call("GET", f"{CLIENT}/profile/{part(self._user_id)}")
        except Permanent:
            profile = {}  # a profile is optional; the account still works without one
        return AccountInfo(
            remote_id=self._user_id,
            handle=self._user_id,
            display_name=str(profile.get("displayname") or ""),
            url=f"https://matrix.to/#/{part(self._user_id)}",
        )

    # Publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        room = self.room_id()
        relation = self._relation(post)
        key = post.idempotency_key or uuid4().hex
        contents = [self._image_content(media) for media in post.media]
        if post.text.strip() or not contents:
            contents.append(self._text_content(post.text))
        sent: list[str] = []
        for number, content in enumerate(contents):
            last = number == len(contents) - 1
            if last and sent:
                content[PARTS_KEY] = list(sent)
            if relation:
                content["m.relates_to"] = relation
            txn = key if last else f"{key}.{number}"
            sent.append(self._send(room, content, txn, retry_safe=bool(post.idempotency_key)))
        return PublishedPost(
            remote_id=sent[-1], url=inbox.permalink(room, sent[-1]), text=post.text
        )

    def _send(self, room: str, content: dict[str, Any], txn: str, *, retry_safe: bool) -> str:
        # Without an idempotency key from the caller a lost answer may hide a posted message:
        # that is Unconfirmed. With one, the homeserver deduplicates, so a retry is Transient.
        answer = self._call(
            "PUT",
            f"{CLIENT}/rooms/{part(room)}/send/m.room.message/{part(txn)}",
            json=content,
            forbidden=NOT_ALLOWED_TO_POST,
            may_have_applied=not retry_safe,
        )
        event_id = answer.get("event_id")
        if not isinstance(event_id, str) or not event_id:
            raise Permanent(
                "The homeserver did not say which message it created.",
                detail=json.dumps(answer)[:300],
            )
        return event_id

    @staticmethod
    def _text_content(text: str) -> dict[str, Any]:
        content = {
            "msgtype": "m.text",
            "body": text,
            "format": "org.matrix.custom.html",
            "formatted_body": to_html(text),
        }
        # Events are capped at 64 KiB; a long post goes out as plain text rather than not at all.
        if len(json.dumps(content, ensure_ascii=False).encode()) > HTML_COPY_BUDGET:
            content = {"msgtype": "m.text", "body": text}
        return content

    def _image_content(self, media: MediaFile) -> dict[str, Any]:
        info: dict[str, Any] = {"mimetype": media.mime_type, "size": media.byte_size}
        with media.opened() as stream:  # the size is in the header: no need to read it all
            info.update(image_size(stream))
        # No "filename" key on purpose: with one, clients show ``body`` as a visible caption;
        # without it, ``body`` is the image's description for screen readers (its alt text).
        return {
            "msgtype": "m.image",
            "body": media.alt_text or media.filename,
            "url": self._upload(media),
            "info": info,
        }

    def _upload(self, media: MediaFile) -> str:
        answer = self._call(
            "POST",
            "/_matrix/media/v3/upload",
            params={"filename": media.filename},
            content=media.chunks(),  # streamed, with its length: no chunked encoding
            headers={"Content-Type": media.mime_type, "Content-Length": str(media.byte_size)},
            forbidden="The homeserver does not allow this account to upload files.",
        )
        uri = answer.get("content_uri")
        if not isinstance(uri, str) or not uri.startswith("mxc://"):
            raise Permanent(
                "The homeserver did not return the uploaded file's address.",
                detail=json.dumps(answer)[:300],
            )
        return uri

    def _relation(self, post: OutgoingPost) -> dict[str, Any]:
        """How the post hangs on ``reply_to``: a thread under our own post, else a reply.

        A thread part follows our previous part, so it goes in a Matrix thread under the first
        one; an answer to someone else is a reply (kept in their thread if they wrote in one).
        ``options["matrix_relation"]`` ("thread" or "reply") overrides the guess.
        """
        if not post.reply_to:
            return {}
        target = self.event(post.reply_to)
        root = inbox.thread_root(target)
        wanted = post.options.get("matrix_relation")
        as_thread = wanted == "thread" or (
            wanted != "reply" and target.get("sender") == self.user_id()
        )
        if as_thread or root:
            return {
                "rel_type": "m.thread",
                "event_id": root or post.reply_to,
                "is_falling_back": as_thread,
                "m.in_reply_to": {"event_id": post.reply_to},
            }
        return {"m.in_reply_to": {"event_id": post.reply_to}}

    def event(self, event_id: str) -> dict[str, Any]:
        found = self._call("GET", f"{CLIENT}/rooms/{part(self.room_id())}/event/{part(event_id)}")
        self._senders[event_id] = str(found.get("sender", ""))
        self._events[event_id] = found
        return found

    def delete(self, remote_id: str) -> None:
        """Redact the post and the pictures sent with it."""
        content = self.event(remote_id).get("content")
        parts = content.get(PARTS_KEY) if isinstance(content, dict) else None
        for event_id in [remote_id, *(parts if isinstance(parts, list) else [])]:
            self.redact(str(event_id), reason="Deleted from Chorus")

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        """Our latest messages in the room, newest first, to reconcile an unconfirmed post."""
        room = self.room_id()
        room_filter = {"senders": [self.user_id()], "types": ["m.room.message"]}
        page = self._call(
            "GET",
            f"{CLIENT}/rooms/{part(room)}/messages",
            params={"dir": "b", "limit": str(limit), "filter": json.dumps(room_filter)},
        )
        chunk = inbox.events_in(page.get("chunk"))
        return [
            PublishedPost(
                remote_id=event["event_id"],
                url=inbox.permalink(room, event["event_id"]),
                published_at=inbox.event_time(event),
                text=str(event["content"].get("body", "")),
            )
            for event in chunk
            if inbox.is_person_message(event) and event.get("sender") == self.user_id()
        ]

    # Inbox ----------------------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """What people said in the room since ``cursor``; the first call reads recent history."""
        room = self.room_id()
        params = {"filter": json.dumps(self._sync_filter(room)), "timeout": "0"}
        if cursor:
            params["since"] = cursor
        body = self._call("GET", f"{CLIENT}/sync", params=params)
        joined = inbox.dig(body, "rooms", "join", room)
        timeline = inbox.dig(joined, "timeline")
        events = inbox.events_in(timeline.get("events"))
        if cursor and timeline.get("limited") and timeline.get("prev_batch"):
            events = self._events_between(room, str(timeline["prev_batch"]), cursor) + events
        states = inbox.events_in(inbox.dig(joined, "state").get("events"))
        return InboxPage(
            items=self._items(room, events, inbox.display_names([*states, *events])),
            cursor=str(body.get("next_batch") or cursor),
        )

    def _sync_filter(self, room: str) -> dict[str, Any]:
        nothing = {"not_types": ["*"]}
        return {
            "presence": nothing,
            "account_data": nothing,
            "room": {
                "rooms": [room],
                "timeline": {
                    "limit": self.sync_limit,
                    "types": ["m.room.message", "m.room.redaction"],
                },
                "state": {"lazy_load_members": True, "types": ["m.room.member"]},
                "ephemeral": nothing,
                "account_data": nothing,
            },
        }

    def _events_between(self, room: str, start: str, cursor: str) -> list[dict[str, Any]]:
        """The messages a limited /sync left out, read backwards from its gap to our cursor."""
        older: list[dict[str, Any]] = []
        token = start
        for _ in range(self.max_gap_pages):
            page = self._call(
                "GET",
                f"{CLIENT}/rooms/{part(room)}/messages",
                params={"dir": "b", "from": token, "to": cursor, "limit": "100"},
            )
            chunk = inbox.events_in(page.get("chunk"))
            older.extend(chunk)
            if not chunk or not page.get("end"):
                break
            token = str(page["end"])
        return list(reversed(older))

    def _items(
        self, room: str, events: list[dict[str, Any]], names: dict[str, str]
    ) -> list[inbox.InboxItem]:
        for event in events:
            if isinstance(event.get("event_id"), str):
                self._senders[event["event_id"]] = str(event.get("sender", ""))
                self._events[event["event_id"]] = event
        return inbox.inbox_items(
            events,
            room_id=room,
            own_user_id=self.user_id(),
            is_ours=self._is_ours,
            lookup=self._known_event,
            names=names,
        )

    def _known_event(self, event_id: str) -> dict[str, Any] | None:
        """The event from this page or an earlier call, else asked of the homeserver once."""
        if event_id not in self._events:
            try:
                self.event(event_id)
            except Permanent:
                self._events[event_id] = None  # gone or hidden from us: the chain stops there
        return self._events[event_id]

    def _is_ours(self, event_id: str) -> bool:
        if event_id not in self._senders:
            try:
                self.event(event_id)
            except Permanent:
                self._senders[event_id] = ""  # gone or hidden from us: not a reply we can place
        return self._senders[event_id] == self.user_id()


def image_size(data: bytes | IO[bytes]) -> dict[str, int]:
    """Width and height for the event's info, so clients reserve the space before loading."""
    try:
        with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as picture:
            return {"w": picture.width, "h": picture.height}
    except (UnidentifiedImageError, OSError):
        return {}


class Matrix(Network):
    key = "matrix"
    label = "Matrix"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.THREAD,
            Capability.INBOX,
            Capability.REPLY,
            Capability.DELETE,
            Capability.BAN,
            Capability.IDEMPOTENCY_KEY,
            Capability.METRICS,
        }
    )
    limits = Limits(
        # Events are capped at 64 KiB of JSON. 16,000 characters fit even in a 3-byte script
        # (CJK); the HTML copy is dropped when it would not fit beside the plain text.
        max_chars=16_000,
        # One picture per event: a post with several pictures is sent as several events.
        max_media=4,
        max_image_bytes=50 * 1024 * 1024,  # Synapse's default max_upload_size
        max_alt_text=1500,
    )
    tagline = gettext_lazy("A bot account announcing in one room, and moderating it.")
    credential_fields = {
        "access_token": CredentialField(gettext_lazy("Access token"), secret=True),
        # Both filled in by the password sign-in, or read back by whoami.
        "user_id": CredentialField(gettext_lazy("Bot user id"), secret=False, asked=False),
        "device_id": CredentialField(gettext_lazy("Device id"), secret=False, asked=False),
    }
    settings_fields = {
        "base_url": SettingField(
            label=gettext_lazy("Homeserver address"),
            help_text=gettext_lazy("Where the bot account lives, like https://matrix.example.org."),
            is_url=True,
        ),
        "room": SettingField(
            label=gettext_lazy("Room to announce in"),
            help_text=gettext_lazy(
                "Its id (!abc123:example.org) or alias (#news:example.org). Chorus joins it: "
                "invite the bot first if the room is not public."
            ),
        ),
    }
    sign_in_fields = {
        "login_user": CredentialField(gettext_lazy("Bot user name"), secret=False, required=False),
        "login_password": CredentialField(
            gettext_lazy("Bot password"),
            secret=True,
            help_text=gettext_lazy("Used once to get a token; Chorus does not keep it."),
            required=False,
            strip=False,
        ),
    }
    sign_in_heading = gettext_lazy("or sign in with the bot's password")
    one_of = (("access_token",), ("login_user", "login_password"))
    one_of_message = gettext_lazy("Enter the bot's access token, or its user name and password.")
    connection_class = MatrixConnection
    # Counted from the room for our own events (figures.py); members for the account.
    post_metrics = frozenset({"reactions", "replies"})
    account_metrics = frozenset({"members"})
    steps = MatrixSteps()
    preview_template = "matrix/preview.html"
