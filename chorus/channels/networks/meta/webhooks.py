"""Meta's app webhooks: one address per network (``/webhooks/facebook/``, ``/webhooks/instagram/``).

Meta first proves the address is Chorus's with a GET (``hub.mode=subscribe``, the verify token
the operator chose, a challenge to echo), then POSTs deliveries signed with the app's secret
(``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>``). A delivery names accounts by
their id (``entry.id``: the Page id, or the Instagram professional account id), which are the
``remote_id`` of the channels Chorus made for them; :mod:`.deliveries` turns each entry into
inbox items named exactly as polling names them, so a comment heard both ways is stored once.

The Facebook and Instagram networks get all this by inheriting :class:`MetaAppWebhooks` and
naming their ``webhook_object`` (``page`` or ``instagram``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings

from chorus.channels.base import InboxItem, WebhookNews
from chorus.channels.networks.meta import deliveries

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"


def answer_challenge(query: Mapping[str, str]) -> str | None:
    """``hub.challenge`` when Meta asks with the operator's verify token, else None (refused)."""
    expected = str(getattr(settings, "CHORUS_META_WEBHOOK_VERIFY_TOKEN", "") or "")
    given = str(query.get("hub.verify_token") or "")
    if query.get("hub.mode") != "subscribe" or not expected:
        return None
    if not hmac.compare_digest(expected.encode(), given.encode()):
        return None
    return str(query.get("hub.challenge") or "")


def signature_problem(headers: Mapping[str, str], body: bytes) -> str:
    """Why the delivery is not Meta's ("" when it is): its signature, checked in constant time
    against the app secret. The reason is for the log; the body never is."""
    secret = str(getattr(settings, "CHORUS_META_APP_SECRET", "") or "")
    if not secret:
        return "no app secret is set (CHORUS_META_APP_SECRET)"
    given = str(headers.get(SIGNATURE_HEADER) or "")
    if not given:
        return f"no {SIGNATURE_HEADER} header"
    if not given.startswith("sha256="):
        return f"{SIGNATURE_HEADER} is not a sha256= signature"
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode()):
        return "the signature does not match the body"
    return ""


def entries(body: bytes, webhook_object: str) -> list[dict[str, Any]]:
    """The delivery's entries; a body that is not a Meta delivery for ``webhook_object`` is
    refused with ValueError (the view answers 400)."""
    payload = json.loads(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise ValueError("not a Meta webhook delivery (no entry list)")
    if payload.get("object") != webhook_object:
        raise ValueError(f"a delivery for {payload.get('object')!r}, not {webhook_object!r}")
    return [entry for entry in payload["entry"] if isinstance(entry, dict) and entry.get("id")]


class MetaAppWebhooks:
    """The class methods ``chorus.inbox.webhooks.receive_app`` calls, for one Meta network."""

    key: ClassVar[str]
    webhook_object: ClassVar[str]  # "page" or "instagram", as Meta names it in deliveries

    @classmethod
    def answer_challenge(cls, query: Mapping[str, str]) -> str | None:
        answer = answer_challenge(query)
        if answer is None:
            log.warning("webhook challenge for %s refused: wrong mode or verify token", cls.key)
        return answer

    @classmethod
    def verify_app_webhook(cls, headers: Mapping[str, str], body: bytes) -> bool:
        problem = signature_problem(headers, body)
        if problem:
            log.warning("webhook delivery for %s refused: %s", cls.key, problem)
        return not problem

    @classmethod
    def route_app_webhook(cls, body: bytes) -> dict[str, list[InboxItem]]:
        routed: dict[str, list[InboxItem]] = {}
        for entry in entries(body, cls.webhook_object):
            account = str(entry["id"])
            routed.setdefault(account, []).extend(deliveries.items_of(cls.webhook_object, entry))
        return routed

    @classmethod
    def app_webhook_news(cls, body: bytes) -> dict[str, WebhookNews]:
        news: dict[str, WebhookNews] = {}
        for entry in entries(body, cls.webhook_object):
            found = deliveries.news_of(cls.webhook_object, entry)
            if found:
                news[str(entry["id"])] = deliveries.merged(news.get(str(entry["id"])), found)
        return news
