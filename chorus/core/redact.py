"""Secrets taken out of text that came back from a network before anyone stores or logs it.

Invariant 4 of DESIGN.md. Servers echo the URL they were asked for: an Apache-style 404 page in
front of a Telegram bot API answers "The requested URL /bot<id>:<token>/getUpdates was not found",
and that text became the channel's last error, shown to every member. Error text is redacted twice:
by shape (any token-looking URL part or header, whoever's it is), and by value (the connection's
own tokens, which may have any shape, when the caller knows them).

No app imports here: channels, inbox and publishing all use it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

HIDDEN = "[redacted]"
# A value this short is not a secret worth finding everywhere ("1", "true", a chat id prefix):
# replacing it would garble the message and hide nothing.
MIN_SECRET_LENGTH = 8

_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Telegram: /bot123456:AAH…/getUpdates (the bot id alone is public, the rest is the key).
    (re.compile(r"(/bot)\d+:[A-Za-z0-9_-]+", re.IGNORECASE), rf"\1{HIDDEN}"),
    # Query strings and form bodies: access_token=…, client_secret=…, token=…, api_key=…
    (
        re.compile(
            r"\b([A-Za-z_-]*(?:token|key|secret|password)=)[^&\s\"'<>]+",
            re.IGNORECASE,
        ),
        rf"\1{HIDDEN}",
    ),
    # Echoed headers and JSON: "Authorization: Bearer …", "access_token": "…"
    (
        re.compile(
            r"\b(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?[^\s\"'<>,]+",
            re.IGNORECASE,
        ),
        rf"\1{HIDDEN}",
    ),
    (re.compile(r"\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE), rf"\1{HIDDEN}"),
    (
        re.compile(
            r"([\"'](?:access_token|refresh_token|accessJwt|refreshJwt|password|token)[\"']"
            r"\s*:\s*[\"'])[^\"']+",
            re.IGNORECASE,
        ),
        rf"\1{HIDDEN}",
    ),
    # Matrix (Synapse) access and refresh tokens have a recognisable prefix.
    (re.compile(r"\bsy[tr]_[A-Za-z0-9_-]{10,}"), HIDDEN),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secret values and without anything shaped like a token."""
    if not text:
        return text
    for secret in sorted(
        {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
    ):
        text = text.replace(secret, HIDDEN)
    for pattern, replacement in _SHAPES:
        text = pattern.sub(replacement, text)
    return text


def secret_values(credentials: Mapping[str, Any]) -> list[str]:
    """The string values of a connection's credentials (tokens, passwords), to redact by value."""
    found: list[str] = []
    for value in credentials.values():
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, Mapping):
            found.extend(secret_values(value))
    return found


class RedactingFormatter(logging.Formatter):
    """Log lines (tracebacks included) without token-shaped text: an exception's message may
    quote a URL with a bot token in it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
