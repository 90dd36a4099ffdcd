"""Connecting an account with a handle and an app password, on a real PDS."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import BlueskyConnection

from .conftest import Account

pytestmark = pytest.mark.server


def test_app_password_connects_and_names_the_account(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    connection = connect(alice.credentials())

    account = connection.whoami()

    assert account.remote_id == alice.did
    assert account.handle == alice.handle
    assert account.url == f"https://bsky.app/profile/{alice.handle}"
    assert connection.credentials["refresh_jwt"]
    assert connection.credentials_rotated  # the new session must be stored


def test_a_did_works_as_the_identifier(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    connection = connect({"identifier": alice.did, "app_password": alice.app_password})

    assert connection.whoami().handle == alice.handle


def test_a_wrong_app_password_is_a_clear_permanent_error(
    connect: Callable[..., BlueskyConnection], alice: Account
) -> None:
    connection = connect({"identifier": alice.handle, "app_password": "aaaa-bbbb-cccc-dddd"})

    with pytest.raises(Permanent) as refused:
        connection.whoami()

    assert "app password" in refused.value.message
    assert "refresh_jwt" not in connection.credentials


def test_missing_fields_are_refused_before_asking_bluesky(
    connect: Callable[..., BlueskyConnection],
) -> None:
    with pytest.raises(Permanent, match="handle"):
        connect({"identifier": "", "app_password": ""}).whoami()
