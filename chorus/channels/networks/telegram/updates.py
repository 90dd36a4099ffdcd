"""Telegram updates (from getUpdates or a webhook delivery) as inbox items.

Both paths read the same ``Update`` objects, so both go through :func:`parse_update`. Edits,
service messages (someone joined, the group migrated) and the channel's own posts mirrored into
its discussion group are not conversation, so they give no item.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import Author, InboxItem
from chorus.channels.networks.telegram.attachments import media_of, poll_of
from chorus.channels.networks.telegram.text import message_ref, message_url

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_KINDS = ("message", "channel_post")


def verify_webhook(headers: Mapping[str, str], secret: str) -> bool:
    """Telegram repeats the ``secret_token`` given to setWebhook in a header; compare it."""
    given = _header(headers, SECRET_HEADER)
    if not secret or not given:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


def _header(headers: Mapping[str, str], name: str) -> str:
    found = headers.get(name)
    if found is None:  # a plain dict is case-sensitive; Django's headers are not
        lowered = name.lower()
        found = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return str(found or "")


def parse_update(update: Any) -> list[InboxItem]:
    """The inbox items in one Update (zero or one); anything unexpected is skipped."""
    if not isinstance(update, dict):
        raise ValueError("a Telegram update is a JSON object")
    for kind in MESSAGE_KINDS:
        message = update.get(kind)
        if isinstance(message, dict):
            item = message_to_item(message)
            return [item] if item else []
    return []


def message_to_item(message: dict[str, Any]) -> InboxItem | None:
    question, poll = poll_of(message)
    text = message.get("text") or message.get("caption") or question
    media = media_of(message)
    chat = message.get("chat")
    if not isinstance(text, str) or not isinstance(chat, dict):
        return None
    if not text.strip() and not media:
        return None  # nothing a person could read or see
    if message.get("is_automatic_forward"):
        return None  # the channel's own post, copied into its discussion group
    chat_id = chat.get("id")
    message_id = message.get("message_id")
    if chat_id is None or not isinstance(message_id, int):
        return None
    kind, conversation, in_reply_to = _placement(message, chat)
    return InboxItem(
        remote_id=message_ref(chat_id, message_id),
        kind=kind,
        conversation_id=conversation,
        author=_author(message),
        text=text,
        created_at=datetime.fromtimestamp(int(message.get("date") or 0), tz=UTC),
        in_reply_to=in_reply_to,
        url=message_url(chat, message_id),
        media=media,
        poll=poll,
    )


def _placement(message: dict[str, Any], chat: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, conversation id, replied-to ref): a private chat is one direct conversation;
    in a group a reply belongs to its thread's first message, anything else to the chat."""
    chat_id = chat["id"]
    if chat.get("type") == "private":
        return "direct", str(chat_id), ""
    replied = message.get("reply_to_message")
    if isinstance(replied, dict) and isinstance(replied.get("message_id"), int):
        # In supergroups Telegram names the thread's first message; in basic groups we only
        # know the message answered, which is the best root we have.
        root = message.get("message_thread_id") or replied["message_id"]
        return "reply", message_ref(chat_id, root), message_ref(chat_id, replied["message_id"])
    return "comment", str(chat_id), ""


def _author(message: dict[str, Any]) -> Author:
    person = message.get("from")
    if isinstance(person, dict) and not message.get("sender_chat"):
        username = str(person.get("username") or "")
        name = " ".join(
            str(part) for part in (person.get("first_name"), person.get("last_name")) if part
        )
        return Author(
            remote_id=str(person.get("id", "")),
            handle=f"@{username}" if username else name or str(person.get("id", "")),
            display_name=name,
            url=f"https://t.me/{username}" if username else "",
        )
    # Channel posts and anonymous admins speak as a chat, signed by an optional name.
    sender = message.get("sender_chat") or message.get("chat") or {}
    username = str(sender.get("username") or "")
    title = str(sender.get("title") or "")
    signature = str(message.get("author_signature") or "")
    return Author(
        remote_id=str(sender.get("id", "")),
        handle=f"@{username}" if username else title,
        display_name=f"{title} ({signature})" if signature else title,
        url=f"https://t.me/{username}" if username else "",
    )
