"""One Bot API call, and what its answer means (DESIGN.md invariant 5).

Telegram answers every method with ``{"ok": true, "result": ...}`` or ``{"ok": false,
"error_code", "description", "parameters": {"retry_after", "migrate_to_chat_id"}}``, usually with
the same HTTP status as ``error_code``. The words we raise are for a community manager; the
network's own ``description`` goes to ``detail`` for the attempt log.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from chorus.channels.errors import (
    AuthExpired,
    Permanent,
    RateLimited,
    Transient,
    Unconfirmed,
)
from chorus.core.http import translate_errors

API_ROOT = "https://api.telegram.org"


def method_url(api_root: str, token: str, method: str) -> str:
    return f"{(api_root or API_ROOT).rstrip('/')}/bot{token}/{method}"


def call(
    http: httpx.Client,
    url: str,
    *,
    may_have_applied: bool = False,
    missing_ok: bool = False,
    **kw: Any,
) -> Any:
    """POST one method and return its ``result``, or raise the classified error.

    ``may_have_applied`` marks a send: a lost or garbled answer may hide a posted message, and
    Telegram takes no idempotency key, so that is :class:`Unconfirmed`, never a retry.
    """
    with translate_errors(may_have_applied=may_have_applied):
        response = http.post(url, **kw)
    body = _body(response, may_have_applied=may_have_applied)
    if body.get("ok") is True:
        return body.get("result")
    if missing_ok and _is_missing(body):
        return None
    raise classify(response.status_code, body, may_have_applied=may_have_applied)


def _body(response: httpx.Response, *, may_have_applied: bool) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, ValueError):
        body = None
    if isinstance(body, dict):
        return body
    # A proxy's HTML error page, or a cut-off answer: only the status is left to go by.
    detail = f"HTTP {response.status_code}: {response.text[:200]}"
    if response.status_code < 500 and response.status_code != 200:
        return {"ok": False, "error_code": response.status_code, "description": detail}
    if may_have_applied:
        raise Unconfirmed(
            "Telegram's answer was unreadable; the message may have been sent. "
            "Check the chat before publishing again.",
            detail=detail,
        )
    raise Transient("Telegram's answer was unreadable.", detail=detail)


def _is_missing(body: dict[str, Any]) -> bool:
    """Already gone ("message to delete not found"). "Message can't be deleted" is not gone: the
    bot lacks the right or the message is over 48 hours old, and saying "deleted" would be false.
    """
    said = str(body.get("description") or "").lower()
    return body.get("error_code") == 400 and "not found" in said


def classify(status: int, body: dict[str, Any], *, may_have_applied: bool) -> Exception:
    code = _int(body.get("error_code")) or status
    said = str(body.get("description") or f"HTTP {status}")[:300]
    found = body.get("parameters")
    parameters: dict[str, Any] = found if isinstance(found, dict) else {}
    if code == 429:
        wait = _float(parameters.get("retry_after"), default=30.0)
        return RateLimited(
            f"Telegram asked Chorus to wait {round(wait)} seconds.", retry_after=wait, detail=said
        )
    # A malformed token gets a bare 404 "Not Found" (no such bot), a revoked one 401.
    if code == 401 or (code == 404 and said.lower() == "not found"):
        return AuthExpired(
            "Telegram refused the bot token: it was revoked or replaced in @BotFather. "
            "Paste the bot's current token to reconnect this channel.",
            detail=said,
        )
    if code == 403:
        return AuthExpired(
            "The bot can no longer write in this chat (it was removed, blocked or lost its "
            "admin rights). Add it back as an administrator allowed to post, then reconnect.",
            detail=said,
        )
    if code == 409:
        return Permanent(_conflict_words(said), detail=f"HTTP 409: {said}")
    if parameters.get("migrate_to_chat_id"):
        return Permanent(
            "This group became a supergroup with a new id "
            f"({parameters['migrate_to_chat_id']}): reconnect the channel with that id.",
            detail=said,
        )
    if code >= 500:
        if may_have_applied:
            return Unconfirmed(
                "Telegram failed while sending; the message may have gone out. "
                "Check the chat before publishing again.",
                detail=f"HTTP {code}: {said}",
            )
        return Transient(f"Telegram is having trouble (HTTP {code}).", detail=said)
    return Permanent(_in_words(said), detail=f"HTTP {code}: {said}")


def _in_words(said: str) -> str:
    lowered = said.lower()
    if "chat not found" in lowered:
        return (
            "Telegram does not know this chat: check the @channelname or id, and that the bot "
            "was added to it."
        )
    if "not enough rights" in lowered or "have no rights" in lowered:
        return "The bot lacks the admin right needed for this: give it that right in the chat."
    if "too long" in lowered:
        return "Telegram refused the text as too long."
    for fragment, words in REFUSALS:
        if fragment in lowered:
            return words
    if "bad webhook" in lowered:
        return (
            f"Telegram refused Chorus's webhook address ({said}). It must be a public https "
            "address on port 443, 80, 88 or 8443."
        )
    return f"Telegram refused the request: {said}"


# What Telegram says (lower case) -> what the person can do about it.
REFUSALS = (
    (
        "message can't be deleted",
        'Telegram would not delete this message: the bot needs the admin right "Delete '
        'messages", and messages older than 48 hours cannot be deleted by a bot.',
    ),
    (
        "user is an administrator of the chat",
        "Telegram does not let a bot ban or remove an administrator of the chat.",
    ),
    ("can't remove chat owner", "Telegram does not let a bot ban or remove the chat's owner."),
    (
        "method is available for supergroup and channel chats only",
        "In a basic group a ban only removes the person, who may come back by invite link: "
        "there is no ban to lift. Turn the group into a supergroup for lasting bans.",
    ),
)


def _conflict_words(said: str) -> str:
    """409: a webhook is set for the bot, or another program is reading its updates."""
    if "webhook is active" in said.lower():
        return (
            "Telegram sends this bot's messages to a webhook, so Chorus cannot poll for them. "
            'Use "Receive by webhook" on the channel page if Chorus should receive them, or '
            "remove the other program's webhook."
        )
    return (
        "Another program is reading this bot's messages at the same time (or just set a webhook "
        "for it), and Telegram gives them to only one. Stop the other program or give Chorus a "
        "bot of its own."
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _float(value: Any, *, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default
