"""Moderating the room: remove a message, show someone the door, or keep them out.

The bot account needs the room's power levels for each of these (moderator, 50, by default);
without them the homeserver answers M_FORBIDDEN and Chorus says which permission is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import uuid4

from .api import CLIENT, NOT_ALLOWED_TO_MODERATE, part


class Moderation:
    """Room moderation, mixed into the Matrix connection."""

    if TYPE_CHECKING:

        def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]: ...

        def room_id(self) -> str: ...

    def redact(self, event_id: str, reason: str = "") -> None:
        """Remove a message's content for everyone; the room keeps a "message deleted" trace."""
        # Redacting twice is harmless, so a fresh transaction id per call is fine.
        room = part(self.room_id())
        self._call(
            "PUT",
            f"{CLIENT}/rooms/{room}/redact/{part(event_id)}/{uuid4().hex}",
            json={"reason": reason} if reason else {},
            forbidden=NOT_ALLOWED_TO_MODERATE,
        )

    def _membership(self, action: str, user_id: str, reason: str) -> None:
        body = {"user_id": user_id, **({"reason": reason} if reason else {})}
        self._call(
            "POST",
            f"{CLIENT}/rooms/{part(self.room_id())}/{action}",
            json=body,
            forbidden=NOT_ALLOWED_TO_MODERATE,
        )

    def kick(self, user_id: str, reason: str = "") -> None:
        """Remove someone from the room; they may come back if the room lets them."""
        self._membership("kick", user_id, reason)

    def ban(self, user_id: str, reason: str = "") -> None:
        """Remove someone and keep them out until unbanned."""
        self._membership("ban", user_id, reason)

    def unban(self, user_id: str, reason: str = "") -> None:
        """Lift a ban; the person may then join again (or be invited)."""
        self._membership("unban", user_id, reason)
