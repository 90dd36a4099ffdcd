"""Moderating the chat: delete a message, remove or ban its author, and lift a ban (the undo).

The bot needs admin rights for each: "Delete messages" to delete others' messages (within 48
hours of sending), "Ban users" to ban and unban. Without them Telegram answers 400 "not enough
rights" and :mod:`.api` says which right is missing.

People are numeric user ids. Someone who speaks *as a channel* in a group (``sender_chat``) is
named by that chat's id, which is negative: those are banned with banChatSenderChat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chorus.channels.errors import Permanent

BASIC_GROUP_ONLY = "supergroup and channel chats only"  # unbanChatMember in a basic group
MEMBERSHIP_VERBS = frozenset({"kick", "ban", "unban"})
MODERATION_VERBS = MEMBERSHIP_VERBS | {"redact"}


class Moderation:
    """Chat moderation, mixed into the Telegram connection."""

    if TYPE_CHECKING:

        def _call(self, method: str, **kw: Any) -> Any: ...

        def _ref(self, remote_id: str) -> tuple[str, list[int]]: ...

        def chat_id(self) -> str: ...

        def _chat_numeric_id(self) -> str: ...

    def refused_verbs(self) -> frozenset[str]:
        """What the bot's place in the chat does not allow: an administrator needs "Delete
        messages" to remove others' messages and "Ban users" to remove, ban or unban; the
        chat's creator may do everything, anyone else nothing of this."""
        bot = self._call("getMe")
        member = self._call(
            "getChatMember",
            json={
                "chat_id": self.chat_id(),
                "user_id": bot.get("id") if isinstance(bot, dict) else 0,
            },
        )
        if not isinstance(member, dict):
            raise Permanent("Telegram's answer about the bot's rights was unreadable.")
        status = member.get("status")
        if status == "creator":
            return frozenset()
        if status != "administrator":
            return MODERATION_VERBS
        refused = set()
        if member.get("can_delete_messages") is not True:
            refused.add("redact")
        if member.get("can_restrict_members") is not True:
            refused |= MEMBERSHIP_VERBS
        return frozenset(refused)

    def delete(self, remote_id: str) -> None:
        """Delete a post (every message of an album); one already gone counts as deleted."""
        chat, ids = self._ref(remote_id)
        for message_id in ids:
            self._call(
                "deleteMessage", json={"chat_id": chat, "message_id": message_id}, missing_ok=True
            )

    def redact(self, remote_id: str, reason: str = "") -> None:
        """Remove someone else's message (the bot needs the "delete messages" admin right).

        Telegram keeps no reason; the inbox notes it on the conversation.
        """
        self.delete(remote_id)

    def ban(self, user_id: str, reason: str = "") -> None:
        """Keep someone out of the chat until the ban is lifted (in a basic group: remove)."""
        self._membership("ban", user_id)

    def unban(self, user_id: str, reason: str = "") -> None:
        """Lift a ban; the person may join again (Telegram does not bring them back).

        ``only_if_banned``: without it Telegram would remove a person who is still a member.
        """
        self._membership("unban", user_id)

    def kick(self, user_id: str, reason: str = "") -> None:
        """Remove without banning: Telegram's way is to ban, then lift the ban at once."""
        self.ban(user_id)
        try:
            self.unban(user_id)
        except Permanent as error:
            if BASIC_GROUP_ONLY not in error.detail:
                raise
            # In a basic group the ban already was a plain removal, and there is nothing to lift.

    def _membership(self, action: str, user_id: str) -> None:
        person = self._person(user_id)
        chat = self.chat_id()
        if person < 0:  # a channel speaking in the group
            method = "banChatSenderChat" if action == "ban" else "unbanChatSenderChat"
            self._call(method, json={"chat_id": chat, "sender_chat_id": person})
            return
        fields: dict[str, Any] = {"chat_id": chat, "user_id": person}
        if action == "unban":
            fields["only_if_banned"] = True
        self._call("banChatMember" if action == "ban" else "unbanChatMember", json=fields)

    def _person(self, user_id: str) -> int:
        try:
            person = int(user_id)
        except (TypeError, ValueError):
            raise Permanent("This is not a Telegram account Chorus can act on.") from None
        if person < 0 and self._is_the_chat(str(person)):
            raise Permanent(
                "This message was posted as the chat itself: there is nobody to remove or ban."
            )
        return person

    def _is_the_chat(self, chat: str) -> bool:
        wanted = self.chat_id()
        return chat == wanted or (wanted.startswith("@") and chat == self._chat_numeric_id())
