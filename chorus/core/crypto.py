"""Secrets at rest (invariant 4): MultiFernet over CHORUS_SECRET_KEYS, newest key first.

Rotation: put a new key first in the list; old ciphertexts still decrypt with the later keys and
``rotate`` re-encrypts them. With no key configured (the embedded default), one key is derived
from SECRET_KEY, which is itself generated once and kept in var/.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _as_fernet_key(raw: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return raw.encode()
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_as_fernet_key(key)) for key in keys])


def fernet() -> MultiFernet:
    keys = tuple(settings.CHORUS_SECRET_KEYS) or (settings.SECRET_KEY,)
    return _fernet(keys)


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


def encrypt_json(value: dict[str, Any]) -> str:
    return fernet().encrypt(json.dumps(value).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        data: dict[str, Any] = json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise SecretUnreadable(
            "credentials were encrypted with a key Chorus no longer has"
        ) from exc
    return data


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()
