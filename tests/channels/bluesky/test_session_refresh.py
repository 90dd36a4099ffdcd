"""Tokens expire and rotate: refresh once, keep the new pair, never lose the refresh token."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chorus.channels.errors import AuthExpired
from chorus.channels.networks.bluesky.network import BlueskyConnection

from .conftest import Account

pytestmark = pytest.mark.server


def signed_in(connect: Callable[..., BlueskyConnection], account: Account) -> dict[str, str]:
    connection = connect(account.credentials())
    connection.whoami()
    return dict(connection.credentials)


def test_refreshed_credentials_rotate_both_tokens(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    before = signed_in(connect, alice)
    connection = connect(before)

    after = connection.refreshed_credentials()

    assert after is not None
    assert after["refresh_jwt"] and after["refresh_jwt"] != before["refresh_jwt"]
    assert after["access_jwt"]  # may equal the old one within the same second: same claims
    assert connection.whoami().handle == alice.handle


def test_a_refused_access_token_is_refreshed_once_and_the_call_goes_through(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    credentials = {**signed_in(connect, alice), "access_jwt": "not-a-valid-token"}
    connection = connect(credentials)

    assert connection.whoami().remote_id == alice.did
    assert connection.credentials_rotated
    assert connection.credentials["access_jwt"] != "not-a-valid-token"


def test_dead_tokens_fall_back_to_the_app_password(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    credentials = {
        **signed_in(connect, alice),
        "access_jwt": "not-a-valid-token",
        "refresh_jwt": "not-a-valid-refresh-token",
    }
    connection = connect(credentials)

    assert connection.whoami().handle == alice.handle
    assert connection.credentials["refresh_jwt"] != "not-a-valid-refresh-token"


def test_dead_tokens_without_app_password_ask_for_a_reconnection(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    credentials = {
        **signed_in(connect, alice),
        "access_jwt": "not-a-valid-token",
        "refresh_jwt": "not-a-valid-refresh-token",
    }
    del credentials["app_password"]
    connection = connect(credentials)

    with pytest.raises(AuthExpired):
        connection.whoami()
    assert connection.credentials["refresh_jwt"] == "not-a-valid-refresh-token"  # never emptied


def test_a_revoked_app_password_asks_for_a_reconnection(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    credentials = {
        **signed_in(connect, alice),
        "access_jwt": "not-a-valid-token",
        "refresh_jwt": "not-a-valid-refresh-token",
        "app_password": "revo-ked0-revo-ked0",
    }
    connection = connect(credentials)

    with pytest.raises(AuthExpired, match="app password"):
        connection.whoami()
