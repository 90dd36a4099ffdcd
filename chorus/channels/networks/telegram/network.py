"""Telegram: a bot posting in a channel or group through the Bot API.

The bot token (from @BotFather) is the channel's ``bot_token`` credential and the chat it posts
in is its ``chat_id`` setting (``@channelname`` or a numeric id). Telegram takes no idempotency
key and a bot cannot read a chat's history, so a send whose answer was lost is Unconfirmed and a
person checks the chat (see ``recent_posts``).
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import IO, Any, ClassVar

from django.utils.translation import gettext_lazy as _

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CountMode,
    CredentialField,
    InboxItem,
    InboxPage,
    Limits,
    MediaFile,
    Network,
    OutgoingPost,
    Poll,
    PollOption,
    PublishedPost,
    SettingField,
)
from chorus.channels.errors import AuthExpired, Permanent, Unconfirmed
from chorus.channels.networks.telegram import api
from chorus.channels.networks.telegram.moderation import Moderation
from chorus.channels.networks.telegram.steps import TelegramSteps
from chorus.channels.networks.telegram.text import (
    CAPTION_LIMIT,
    as_html,
    message_ref,
    message_url,
    parse_ref,
    utf16_length,
)
from chorus.channels.networks.telegram.updates import parse_update, verify_webhook
from chorus.channels.networks.telegram.webhook import ALLOWED_UPDATES, Webhook

MB = 1024 * 1024
# sendPoll's bounds (Bot API): a question of 1-300 characters, 2-10 options of 1-100 each.
POLL_QUESTION_LIMIT = 300
POLL_OPTION_LIMIT = 100
POLL_MAX_OPTIONS = 10
POSTING_STATUSES = ("creator", "administrator", "member")


class TelegramConnection(Moderation, Webhook, Connection):
    """One bot, posting in the chat named in the channel settings."""

    inbox_page_size: ClassVar[int] = 100  # the most getUpdates returns at once

    def base_url(self) -> str:
        return str(self.settings.get("api_root") or api.API_ROOT)

    def _call(self, method: str, **kw: Any) -> Any:
        token = str(self.credentials.get("bot_token") or "").strip()
        if not token:
            raise AuthExpired("This Telegram channel has no bot token: reconnect it.")
        return api.call(self.http, api.method_url(self.base_url(), token, method), **kw)

    def chat_id(self) -> str:
        chat = str(self.settings.get("chat_id") or "").strip()
        if not chat:
            raise Permanent("No Telegram chat is set for this channel: reconnect it.")
        return chat

    # -- the account ----------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        """The chat, once sure the token works and the bot may post there."""
        bot = self._call("getMe")
        chat = self._call("getChat", json={"chat_id": self.chat_id()})
        if not isinstance(bot, dict) or not isinstance(chat, dict) or "id" not in chat:
            raise Permanent("Telegram's answer about the bot or the chat was unreadable.")
        member = self._call("getChatMember", json={"chat_id": chat["id"], "user_id": bot["id"]})
        _check_can_post(chat, member if isinstance(member, dict) else {})
        username = str(chat.get("username") or "")
        title = str(chat.get("title") or chat.get("first_name") or username)
        return AccountInfo(
            remote_id=str(chat["id"]),
            handle=f"@{username}" if username else title,
            display_name=title,
            url=f"https://t.me/{username}" if username else "",
        )

    def audience(self) -> dict[str, int]:
        """The chat's member count: the one figure the Bot API gives (none per post)."""
        count = self._call("getChatMemberCount", json={"chat_id": self.chat_id()})
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise Permanent("Telegram's answer about the chat's members was unreadable.")
        return {"members": count}

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        _check_length(post)
        chat, reply = self._target(post.reply_to)
        fields: dict[str, Any] = {"chat_id": chat}
        if reply:
            # Kept even if the answered message was deleted meanwhile: a thread goes on.
            fields["reply_parameters"] = {"message_id": reply, "allow_sending_without_reply": True}
        if post.options.get("silent"):
            fields["disable_notification"] = True
        if post.options.get("poll"):
            fields.update(_poll_fields(post))
            result = self._call("sendPoll", json=fields, may_have_applied=True)
        elif not post.media:
            fields.update(text=as_html(post.text), parse_mode="HTML")
            result = self._call("sendMessage", json=fields, may_have_applied=True)
        elif len(post.media) == 1:
            result = self._send_one(post.media[0], post.text, fields)
        else:
            result = self._send_album(post.media, post.text, fields)
        return _published(result, post.text)

    def close_poll(self, remote_id: str) -> Poll:
        """Stop one of our polls; Telegram answers with its final counts (a bot has no other
        way to read them: polls update only through the updates it already hands the inbox)."""
        chat, ids = self._ref(remote_id)
        if not ids:
            raise Permanent("This is not a Telegram poll Chorus sent.")
        result = self._call("stopPoll", json={"chat_id": chat, "message_id": ids[0]})
        return _poll_of(result)

    def _target(self, reply_to: str) -> tuple[str, int | None]:
        if not reply_to:
            return self.chat_id(), None
        try:
            chat, ids = parse_ref(reply_to, self.chat_id())
        except ValueError as exc:
            raise Permanent("This is not a Telegram message Chorus can answer.") from exc
        return chat, ids[0] if ids else None

    def _send_one(self, media: MediaFile, text: str, fields: dict[str, Any]) -> Any:
        method, field = ("sendVideo", "video") if _is_video(media) else ("sendPhoto", "photo")
        if text.strip():
            fields.update(caption=as_html(text), parse_mode="HTML")
        with media.opened() as stream:  # streamed: a video is never read whole
            return self._call(
                method,
                data=_form(fields),
                files={field: (media.filename, stream, media.mime_type)},
                may_have_applied=True,
            )

    def _send_album(self, media: tuple[MediaFile, ...], text: str, fields: dict[str, Any]) -> Any:
        album: list[dict[str, Any]] = []
        files: dict[str, tuple[str, IO[bytes], str]] = {}
        with ExitStack() as streams:  # every file streamed, and closed after the call
            for number, item in enumerate(media):
                name = f"file{number}"
                kind = "video" if _is_video(item) else "photo"
                entry = {"type": kind, "media": f"attach://{name}"}
                if number == 0 and text.strip():  # the album's caption is its first item's
                    entry.update(caption=as_html(text), parse_mode="HTML")
                album.append(entry)
                files[name] = (item.filename, streams.enter_context(item.opened()), item.mime_type)
            fields["media"] = album
            return self._call(
                "sendMediaGroup", data=_form(fields), files=files, may_have_applied=True
            )

    def _ref(self, remote_id: str) -> tuple[str, list[int]]:
        try:
            return parse_ref(remote_id, self.chat_id())
        except ValueError as exc:
            raise Permanent("This is not a Telegram message Chorus knows.") from exc

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        """Bots cannot read a chat's history, so an unconfirmed post cannot be found here.

        Raising (rather than answering "none") tells the sweeper it could not look; after its
        grace period it fails the post with words asking a person to check the chat.
        """
        raise Permanent(
            "Telegram does not let a bot read back the chat: open the chat to see whether the "
            "post went out, then reschedule it if it is missing."
        )

    # -- inbox ----------------------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """New messages since ``cursor`` (the next update_id); reading them confirms them."""
        params: dict[str, Any] = {
            "limit": self.inbox_page_size,
            "timeout": 0,
            "allowed_updates": ALLOWED_UPDATES,
        }
        if cursor:
            params["offset"] = int(cursor)
        updates = self._call("getUpdates", json=params)
        if not isinstance(updates, list):
            raise Permanent("Telegram's answer about new messages is not a list.")
        items: list[InboxItem] = []
        next_cursor = cursor
        for update in updates:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            next_cursor = str(max(int(next_cursor or 0), update["update_id"] + 1))
            items.extend(item for item in parse_update(update) if self._is_ours(item))
        return InboxPage(items=items, cursor=next_cursor)

    def _is_ours(self, item: InboxItem) -> bool:
        """Messages in the channel's chat, and direct messages to the bot."""
        if item.kind == "direct":
            return True
        wanted = self.chat_id()
        if in_chat(item, wanted):
            return True
        return wanted.startswith("@") and in_chat(item, self._chat_numeric_id())

    def _chat_numeric_id(self) -> str:
        if not hasattr(self, "_numeric_chat"):
            chat = self._call("getChat", json={"chat_id": self.chat_id()})
            self._numeric_chat = str(chat.get("id", "")) if isinstance(chat, dict) else ""
        return self._numeric_chat


def in_chat(item: InboxItem, chat: str) -> bool:
    """Whether the item was written in ``chat`` (its numeric id as text)."""
    return item.remote_id.rpartition(":")[0] == chat


def _check_can_post(chat: dict[str, Any], member: dict[str, Any]) -> None:
    status = member.get("status")
    if chat.get("type") == "channel":
        allowed = status == "creator" or (
            status == "administrator" and member.get("can_post_messages") is True
        )
    else:
        allowed = status in POSTING_STATUSES or (
            status == "restricted" and member.get("can_send_messages") is True
        )
    if not allowed:
        raise Permanent(
            "The bot cannot post in this chat yet: add it as an administrator allowed to post "
            "messages, then connect again.",
            detail=f"chat member status: {status}",
        )


def _check_length(post: OutgoingPost) -> None:
    """Refuse before sending: Telegram would refuse anyway, after maybe sending the pictures."""
    length = utf16_length(post.text)
    limit = CAPTION_LIMIT if post.media else Telegram.limits.max_chars
    if length > limit:
        raise Permanent(
            f"Telegram allows {limit} characters here and this text has {length}. "
            + ("With pictures or a video the text is a caption. " if post.media else "")
            + "Shorten it."
        )
    if len(post.media) > Telegram.limits.max_media:
        raise Permanent(f"Telegram takes at most {Telegram.limits.max_media} files per post.")


def _poll_fields(post: OutgoingPost) -> dict[str, Any]:
    """sendPoll's fields; checked here so a person reads what is wrong, not Telegram's code.
    No ``open_period``: Telegram allows at most ten minutes, so Chorus stops the poll itself
    at its closing time (:meth:`TelegramConnection.close_poll`)."""
    poll = post.options["poll"]
    choices = poll.get("options") if isinstance(poll, dict) else None
    options = [str(choice).strip() for choice in choices or [] if str(choice).strip()]
    if not 2 <= len(options) <= POLL_MAX_OPTIONS:
        raise Permanent(f"A Telegram poll needs 2 to {POLL_MAX_OPTIONS} choices.")
    if any(utf16_length(option) > POLL_OPTION_LIMIT for option in options):
        raise Permanent(f"A Telegram poll choice is at most {POLL_OPTION_LIMIT} characters.")
    question = post.text.strip()
    if not question or utf16_length(question) > POLL_QUESTION_LIMIT:
        raise Permanent(f"A Telegram poll question is 1 to {POLL_QUESTION_LIMIT} characters.")
    return {
        "question": question,
        "options": [{"text": option} for option in options],
        "is_anonymous": True,  # channels take only anonymous polls
        "allows_multiple_answers": bool(poll.get("multiple", False)),
    }


def _poll_of(result: Any) -> Poll:
    """A Bot API ``Poll`` object (what stopPoll returns)."""
    try:
        options = tuple(
            PollOption(title=str(option["text"]), votes=int(option["voter_count"]))
            for option in result["options"]
        )
        voters = int(result["total_voter_count"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Permanent(
            "Telegram's answer about the poll was unreadable.", detail=json.dumps(result)[:300]
        ) from exc
    return Poll(options=options, voters=voters, closed=bool(result.get("is_closed")))


def _is_video(media: MediaFile) -> bool:
    return media.mime_type.startswith("video/")


def _form(fields: dict[str, Any]) -> dict[str, str]:
    """Multipart fields: Telegram reads nested values (media, reply_parameters) as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}


def _published(result: Any, text: str) -> PublishedPost:
    """The post Telegram made. It said ok, so the post exists even if we cannot read it."""
    messages = result if isinstance(result, list) else [result]
    try:
        chat = messages[0]["chat"]
        ids = [int(message["message_id"]) for message in messages]
        sent_at = datetime.fromtimestamp(int(messages[0]["date"]), tz=UTC)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise Unconfirmed(
            "Telegram accepted the post but its answer was unreadable: check the chat.",
            detail=json.dumps(result)[:300],
        ) from exc
    return PublishedPost(
        remote_id=message_ref(chat["id"], ids),
        url=message_url(chat, ids[0]),
        published_at=sent_at,
        text=text,
    )


class Telegram(Network):
    key = "telegram"
    label = "Telegram"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.THREAD,
            Capability.MEDIA,
            Capability.VIDEO,
            Capability.INBOX,
            Capability.REPLY,
            Capability.DELETE,
            Capability.BAN,
            Capability.WEBHOOK,
            Capability.METRICS,
            Capability.POLL,
        }
    )
    limits = Limits(
        max_chars=4096,
        poll_max_options=POLL_MAX_OPTIONS,
        max_caption_chars=CAPTION_LIMIT,  # 1,024: the text of a post with media is a caption
        count_mode=CountMode.UTF16,
        max_media=10,
        video_types=("video/mp4",),
        max_image_bytes=10 * MB,  # sendPhoto's limit
        max_video_bytes=50 * MB,  # what a bot may upload
        max_alt_text=0,  # Telegram has no alt text
    )
    tagline = _("A bot posting in your channel or group.")
    credential_fields = {
        "bot_token": CredentialField(
            _("Bot token"), secret=True, help_text=_("The token @BotFather gave you for the bot.")
        )
    }
    settings_fields = {
        "chat_id": SettingField(
            label=_("Chat"),
            help_text=_(
                "@channelname for a public channel, or the numeric id of a group or private "
                "channel. Add the bot there as an administrator first."
            ),
        )
    }
    connection_class = TelegramConnection
    # A bot cannot read a channel post's views, reactions or forwards: no post figures.
    account_metrics = frozenset({"members"})
    steps = TelegramSteps()
    urls = "chorus.channels.networks.telegram.urls"
    preview_template = "telegram/preview.html"

    @classmethod
    def verify_webhook(cls, headers: Any, body: bytes, secret: str) -> bool:
        return verify_webhook(headers, secret)

    @classmethod
    def parse_webhook(cls, body: bytes) -> list[InboxItem]:
        return parse_update(json.loads(body))

    @classmethod
    def belongs_to_channel(cls, remote_id: str, item: InboxItem) -> bool:
        """A bot in several chats gets all their messages by webhook; a channel keeps what
        polling keeps: its own chat's (``remote_id`` is the chat's numeric id) and direct ones."""
        return item.kind == "direct" or in_chat(item, remote_id)
