"""Text as Telegram's HTML parse mode wants it, and the ids Chorus keeps for messages.

With ``parse_mode=HTML`` Telegram reads ``<b>``, ``<a>``… in the text, so what the community
manager wrote must be escaped or a "<3" or "R&D" would be refused as bad markup. Only ``<``, ``>``
and ``&`` need it outside attributes (Bot API, "HTML style"); links are still made clickable by
Telegram itself.
"""

from __future__ import annotations

CAPTION_LIMIT = 1024  # characters of a photo or video caption, after entity parsing


def as_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# A message is named "<chat id>:<message id>" (several ids joined by "," for an album), because
# message ids are only unique inside one chat and the inbox also holds direct messages.


def message_ref(chat_id: int | str, message_ids: list[int] | int) -> str:
    ids = message_ids if isinstance(message_ids, list) else [message_ids]
    return f"{chat_id}:{','.join(str(i) for i in ids)}"


def parse_ref(ref: str, default_chat: str) -> tuple[str, list[int]]:
    """``(chat, [message ids])`` from a ref; a bare id is a message of the channel's own chat."""
    chat, _, ids = ref.rpartition(":")
    try:
        return (chat or default_chat), [int(part) for part in ids.split(",") if part]
    except ValueError:
        raise ValueError(f"not a Telegram message reference: {ref!r}") from None


def message_url(chat: dict[str, object], message_id: int) -> str:
    """The t.me link: public chats by name, private supergroups and channels by number."""
    username = chat.get("username")
    if username:
        return f"https://t.me/{username}/{message_id}"
    chat_id = str(chat.get("id", ""))
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message_id}"
    return ""  # private chats and basic groups have no link
