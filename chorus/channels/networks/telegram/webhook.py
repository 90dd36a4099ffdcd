"""Telegram pushing updates to Chorus: setWebhook, deleteWebhook, getWebhookInfo.

A bot has one webhook at most; while it is set, getUpdates answers 409 Conflict. Neither call
here drops the updates Telegram holds (``drop_pending_updates=false``): switching either way
loses nothing. Which Chorus address to give and when is decided by the inbox
(``webhook_setup.py`` beside it); this module only speaks the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chorus.channels.errors import Permanent
from chorus.channels.networks.telegram.updates import MESSAGE_KINDS

# The update kinds the inbox reads, asked for both when polling and by webhook.
ALLOWED_UPDATES = list(MESSAGE_KINDS)
# Telegram's rule for secret_token: 1 to 256 of these characters.
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class WebhookInfo:
    """What getWebhookInfo says: where Telegram delivers, and how that goes."""

    url: str  # empty when no webhook is set
    pending_update_count: int
    last_error_at: datetime | None
    last_error_message: str
    allowed_updates: tuple[str, ...]

    @classmethod
    def from_result(cls, result: Any) -> WebhookInfo:
        if not isinstance(result, dict):
            raise Permanent("Telegram's answer about the webhook was unreadable.")
        stamp = _int(result.get("last_error_date"))
        allowed = result.get("allowed_updates")
        return cls(
            url=str(result.get("url") or ""),
            pending_update_count=_int(result.get("pending_update_count")),
            # Telegram sends 0 (or nothing) when delivery never failed.
            last_error_at=datetime.fromtimestamp(stamp, tz=UTC) if stamp > 0 else None,
            last_error_message=str(result.get("last_error_message") or "")[:500],
            allowed_updates=tuple(str(kind) for kind in allowed)
            if isinstance(allowed, list)
            else (),
        )

    def as_json(self) -> dict[str, Any]:
        """For ``Channel.settings`` (JSON): the date as ISO 8601 text."""
        return {
            "url": self.url,
            "pending_update_count": self.pending_update_count,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_error_message": self.last_error_message,
            "allowed_updates": list(self.allowed_updates),
        }


class Webhook:
    """The webhook calls, mixed into the Telegram connection."""

    if TYPE_CHECKING:

        def _call(self, method: str, **kw: Any) -> Any: ...

    def set_webhook(self, url: str, secret: str) -> None:
        """Have Telegram push updates to ``url``, each signed with ``secret`` in a header."""
        if not url.startswith("https://"):
            raise Permanent("Telegram delivers to https addresses only.")
        if not SECRET_TOKEN_RE.fullmatch(secret):
            raise Permanent("The webhook secret has characters Telegram does not accept.")
        self._call(
            "setWebhook",
            json={
                "url": url,
                "secret_token": secret,
                "allowed_updates": ALLOWED_UPDATES,
                "drop_pending_updates": False,
            },
        )

    def delete_webhook(self) -> None:
        """Back to polling; the updates Telegram holds wait for getUpdates."""
        self._call("deleteWebhook", json={"drop_pending_updates": False})

    def webhook_info(self) -> WebhookInfo:
        return WebhookInfo.from_result(self._call("getWebhookInfo"))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
