"""Meta webhook deliveries for tests: signed like Meta signs them, shaped as Meta's webhook
reference documents them (no real delivery was recorded; the ids are those of the recorded
Graph bodies, so what polling reads and what a webhook brings name the same things)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "chosen-by-the-operator"
IG_USER = "17841406338772941"  # the Instagram account of the recorded bodies
IG_MEDIA = "17896622936197745"  # its post with comments (users/medias_p1.json)
IG_COMMENT = "17858154961981086"  # a comment on it (medias/comments_p1.json)
PAGE = "2121008874780932"


def signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"HTTP_X_HUB_SIGNATURE_256": f"sha256={digest}"}


def delivery(webhook_object: str, *entries: dict[str, Any]) -> bytes:
    return json.dumps({"object": webhook_object, "entry": list(entries)}).encode()


def instagram_comment(
    comment_id: str = IG_COMMENT,
    text: str = "Beautiful!",
    parent: str = "",
    field: str = "comments",
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": comment_id,
        "from": {"id": "6029365617173435", "username": "a_reader"},
        "text": text,
        "media": {"id": IG_MEDIA, "media_product_type": "FEED"},
    }
    if parent:
        value["parent_id"] = parent
    return {"id": IG_USER, "time": 1764064800, "changes": [{"field": field, "value": value}]}


def page_feed(**value: Any) -> dict[str, Any]:
    return {"id": PAGE, "time": 1764064800, "changes": [{"field": "feed", "value": value}]}


def messaging(account: str, sender: str, recipient: str, **message: Any) -> dict[str, Any]:
    event = {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": 1764064800123,
        "message": message,
    }
    return {"id": account, "time": 1764064800, "messaging": [event]}
