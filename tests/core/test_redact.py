"""Secrets never reach stored or logged error text (DESIGN.md invariant 4)."""

from __future__ import annotations

import logging

import pytest

from chorus.channels.errors import Permanent
from chorus.core.redact import RedactingFormatter, redact, secret_values

BOT_TOKEN = "5062246006:AAF-test-token"


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        (f"The requested URL /bot{BOT_TOKEN}/getUpdates was not found", "/getUpdates was not"),
        ("GET https://x.example/api/v1/notes?access_token=abc123def456&limit=5", "&limit=5"),
        ("Client error for url 'https://x.example/_matrix?token=s3cr3tvalue'", "x.example"),
        ("POST /oauth/token body: client_id=chorus&client_secret=s3cr3tvalue", "client_id=chorus"),
        ("echo: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig and more", "and more"),
        ('{"access_token": "syt_Ym9i_aBcDeFgHiJk_0abc12", "device_id": "DEV"}', '"DEV"'),
        ("M_UNKNOWN_TOKEN: syt_Ym9i_aBcDeFgHiJkLmNo_3xyZ01 is not valid", "is not valid"),
    ],
)
def test_token_shaped_parts_are_redacted(said: str, kept: str) -> None:
    clean = redact(said)

    assert "[redacted]" in clean
    assert kept in clean
    for secret in ("AAF-test-token", "abc123def456", "s3cr3tvalue", "eyJhbGci", "aBcDeFgHiJk"):
        assert secret not in clean


def test_plain_words_are_left_alone() -> None:
    said = "Telegram does not know this chat: check the @channelname (token budget: 5 left)."

    assert redact(said) == said


def test_the_connections_own_secrets_go_whatever_their_shape() -> None:
    credentials = {
        "access_token": "plain-looking-value-42",
        "user_id": "7",
        "nested": {"p": "hunter2hunter2"},
    }

    clean = redact(
        "server said: plain-looking-value-42 / hunter2hunter2 / user 7",
        secret_values(credentials),
    )

    assert clean == "server said: [redacted] / [redacted] / user 7"


def test_a_channel_error_carries_redacted_message_and_detail() -> None:
    error = Permanent(
        f"Telegram refused the request: HTTP 404: /bot{BOT_TOKEN}/sendMessage",
        detail=f"HTTP 404: /bot{BOT_TOKEN}/sendMessage",
    )

    assert "AAF-test-token" not in error.message
    assert "AAF-test-token" not in error.detail
    assert "AAF-test-token" not in str(error)


def test_log_lines_and_tracebacks_are_redacted() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "poll failed: %s", None, None)
    try:
        raise RuntimeError(
            f"Client error '404' for url 'https://api.telegram.org/bot{BOT_TOKEN}/getMe'"
        )
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    record.args = (f"/bot{BOT_TOKEN}/getMe",)

    line = RedactingFormatter().format(record)

    assert "AAF-test-token" not in line
    assert "getMe" in line
