"""Moderating the room: remove a message, show someone the door, or keep them out.

The bot account needs the room's power levels for each of these (moderator, 50, by default);
without them the homeserver answers M_FORBIDDEN and Chorus says which permission is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import uuid4

from chorus.channels.errors import Permanent

from .api import CLIENT, NOT_ALLOWED_TO_MODERATE, part

# The spec's defaults when the room's power levels leave a level out (moderator actions: 50).
DEFAULT_MODERATOR_LEVEL = 50
# Which power level each verb needs: lifting a ban takes the ban level.
VERB_LEVELS = {"redact": "redact", "kick": "kick", "ban": "ban", "unban": "ban"}
CREATORS_PRIVILEGED_FROM = 12  # room version


class Moderation:
    """Room moderation, mixed into the Matrix connection."""

    if TYPE_CHECKING:

        def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]: ...

        def room_id(self) -> str: ...

        def user_id(self) -> str: ...

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

    def refused_verbs(self) -> frozenset[str]:
        """The verbs the account's power level in the room is too low for (others' messages for
        ``redact``; the bot may always remove its own)."""
        room = part(self.room_id())
        try:
            levels = self._call("GET", f"{CLIENT}/rooms/{room}/state/m.room.power_levels")
            create = self._call(
                "GET", f"{CLIENT}/rooms/{room}/state/m.room.create/", params={"format": "event"}
            )
        except Permanent:
            return frozenset()  # nothing to read: the homeserver will say at the time
        if _is_privileged_creator(create, self.user_id()):
            return frozenset()
        mine = _level(_users(levels).get(self.user_id()), _level(levels.get("users_default"), 0))
        return frozenset(
            verb
            for verb, level in VERB_LEVELS.items()
            if mine < _level(levels.get(level), DEFAULT_MODERATOR_LEVEL)
        )


def _is_privileged_creator(create: dict[str, Any], user_id: str) -> bool:
    """From room version 12 the room's creators outrank every power level and are not listed in
    it: a bot that created its room would otherwise read as a plain member."""
    content = create.get("content") if isinstance(create.get("content"), dict) else {}
    assert isinstance(content, dict)
    version = str(content.get("room_version") or "1")
    extra = content.get("additional_creators")
    creators = {create.get("sender"), *(extra if isinstance(extra, list) else [])}
    return user_id in creators and version.isdigit() and int(version) >= CREATORS_PRIVILEGED_FROM


def _users(levels: dict[str, Any]) -> dict[str, Any]:
    users = levels.get("users")
    return users if isinstance(users, dict) else {}


def _level(value: Any, default: int) -> int:
    """A power level; older rooms may hold them as strings ("50")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
