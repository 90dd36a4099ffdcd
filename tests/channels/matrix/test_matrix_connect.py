"""Connecting a bot account: sign in with a password, check who we are, notice a dead token."""

from __future__ import annotations

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import AuthExpired, Permanent
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection, login_with_password
from chorus.core import http as chorus_http
from tests.servers.synapse import PASSWORD, RunningSynapse


def test_login_with_password_gives_working_credentials(synapse: RunningSynapse, room: str) -> None:
    with chorus_http.client() as http:
        credentials = login_with_password(http, synapse.base_url + "/", "alice", PASSWORD)
    assert credentials["user_id"] == "@alice:localhost"
    assert credentials["access_token"] and credentials["device_id"]
    connection = Matrix.connect(credentials, {"base_url": synapse.base_url, "room": room})
    assert connection.whoami().remote_id == "@alice:localhost"


def test_login_with_a_wrong_password_is_refused_clearly(synapse: RunningSynapse) -> None:
    with chorus_http.client() as http, pytest.raises(Permanent) as refused:
        login_with_password(http, synapse.base_url, "alice", "not the password")
    assert "user name and password" in refused.value.message


def test_whoami_names_the_bot_account(alice: MatrixConnection) -> None:
    me = alice.whoami()
    assert me.remote_id == me.handle == "@alice:localhost"
    assert me.display_name == "alice"  # Synapse's default display name is the local part
    assert me.url == "https://matrix.to/#/%40alice%3Alocalhost"


def test_a_revoked_token_is_auth_expired(synapse: RunningSynapse, room: str) -> None:
    credentials = {**synapse.users["alice"].credentials(), "access_token": "syt_not_a_token"}
    connection = Matrix.connect(credentials, {"base_url": synapse.base_url, "room": room})
    with pytest.raises(AuthExpired):
        connection.whoami()
    with pytest.raises(AuthExpired):
        connection.publish(OutgoingPost(text="hello", idempotency_key="k-revoked"))
