"""Sign-in rate limiting, shared by every web process through the cache (DB or Redis)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    return "signin:" + kind + ":" + hashlib.sha256(value.lower().encode()).hexdigest()[:32]


def _keys(address: str, email: str) -> list[str]:
    return [_key("ip", address), _key("email", email)]


def is_blocked(address: str, email: str) -> bool:
    limit = settings.CHORUS_SIGNIN_MAX_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in _keys(address, email))


def record_failure(address: str, email: str) -> None:
    window = settings.CHORUS_SIGNIN_WINDOW_SECONDS
    for key in _keys(address, email):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def clear(address: str, email: str) -> None:
    cache.delete_many(_keys(address, email))
