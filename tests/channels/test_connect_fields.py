"""Credential fields say for themselves whether they are secret: nothing is guessed from names."""

from __future__ import annotations

from django.forms import PasswordInput, TextInput

from chorus.channels.base import Capability, CredentialField, Limits, Network
from chorus.channels.connect_fields import CREDENTIAL, connect_fields, is_secret
from chorus.channels.forms import ConnectForm
from chorus.channels.registry import available_networks


class _PinNetwork(Network):
    key = "pinnet"
    label = "Pinnet"
    capabilities = frozenset({Capability.PUBLISH})
    limits = Limits(max_chars=500)
    credential_fields = {
        # A secret whose name says nothing of it, and a "token" that is no secret at all.
        "pin": CredentialField("PIN", secret=True, strip=False),
        "token_name": CredentialField("Token name", secret=False),
    }


def test_the_network_says_which_fields_are_secret() -> None:
    form = ConnectForm(network=_PinNetwork)

    assert isinstance(form.fields["pin"].widget, PasswordInput)
    assert isinstance(form.fields["token_name"].widget, TextInput)
    assert not isinstance(form.fields["token_name"].widget, PasswordInput)
    assert is_secret(_PinNetwork, "pin") and not is_secret(_PinNetwork, "token_name")


def test_a_secret_keeps_its_spaces_when_the_network_asks() -> None:
    form = ConnectForm({"pin": " 12 34 ", "token_name": " ci\n"}, network=_PinNetwork)

    assert form.is_valid(), form.errors
    assert form.entered().credentials == {"pin": " 12 34 ", "token_name": "ci"}


def test_every_network_declares_its_credentials_with_a_secret_flag() -> None:
    for network in available_networks():
        for name, field in network.credential_fields.items():
            assert isinstance(field, CredentialField), (network.key, name)
        asked = [f for f in connect_fields(network) if f.kind == CREDENTIAL]
        assert all(f.secret == network.credential_fields[f.name].secret for f in asked)


def test_fields_filled_in_by_the_connect_step_are_not_asked() -> None:
    from chorus.channels.registry import get_network

    matrix = [f.name for f in connect_fields(get_network("matrix"))]
    assert "user_id" not in matrix and "device_id" not in matrix
    assert {"access_token", "login_user", "login_password", "room", "base_url"} <= set(matrix)


def test_the_sign_in_divider_comes_from_the_network() -> None:
    from chorus.channels.registry import get_network

    matrix = get_network("matrix")
    form = ConnectForm(network=matrix)

    assert form.first_sign_in == "login_user"
    assert str(matrix.sign_in_heading) == "or sign in with the bot's password"
    assert ConnectForm(network=_PinNetwork).first_sign_in is None
