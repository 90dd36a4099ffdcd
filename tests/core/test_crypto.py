import pytest
from cryptography.fernet import Fernet

from chorus.core import crypto


def test_secrets_round_trip_and_survive_key_rotation(settings) -> None:  # type: ignore[no-untyped-def]
    old = Fernet.generate_key().decode()
    settings.CHORUS_SECRET_KEYS = [old]
    stored = crypto.encrypt_json({"access_token": "s3cret"})
    assert "s3cret" not in stored
    new = Fernet.generate_key().decode()
    settings.CHORUS_SECRET_KEYS = [new, old]
    assert crypto.decrypt_json(stored) == {"access_token": "s3cret"}
    rotated = crypto.rotate(stored)
    settings.CHORUS_SECRET_KEYS = [new]
    assert crypto.decrypt_json(rotated) == {"access_token": "s3cret"}


def test_a_secret_from_a_lost_key_is_a_clear_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_SECRET_KEYS = [Fernet.generate_key().decode()]
    stored = crypto.encrypt_json({"a": 1})
    settings.CHORUS_SECRET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt_json(stored)
