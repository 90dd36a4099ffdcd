"""Rate limits on sign-in and on the e-mails anyone can trigger, shared by every web process
through the cache (DB or Redis).

Sign-in counts failures twice: per account, keyed on the address exactly as authentication reads
it (so " erin@a.test" and "ERIN@a.test\\n" share one counter), and per client address (REMOTE_ADDR),
with a higher limit so one person mistyping does not lock out a whole office behind one address.
A success clears the account's counter only: clearing the address counter too would let someone
with one valid account reset it between guesses at other accounts.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

# E-mails sent on an anonymous request (password reset, sign-up): per address and per client
# address within an hour. Over the limit nothing is sent and the page says the same as always.
EMAILS_PER_ACCOUNT = 3
EMAILS_PER_CLIENT = 20
EMAIL_WINDOW_SECONDS = 3600


def normalised_email(raw: str) -> str:
    """The address as sign-in authenticates it: the form strips the white space around it and
    the account is looked up lower-cased."""
    return raw.strip().lower()


def _key(kind: str, value: str) -> str:
    return "signin:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _account_key(email: str) -> str:
    return _key("email", normalised_email(email))


def _client_key(address: str) -> str:
    return _key("ip", address)


def _limits(address: str, email: str) -> list[tuple[str, int]]:
    return [
        (_account_key(email), settings.CHORUS_SIGNIN_MAX_ATTEMPTS),
        (_client_key(address), settings.CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS),
    ]


def _over(key: str, limit: int) -> bool:
    return (cache.get(key) or 0) >= limit


def _count(key: str, window: int) -> None:
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def is_blocked(address: str, email: str) -> bool:
    return any(_over(key, limit) for key, limit in _limits(address, email))


def record_failure(address: str, email: str) -> None:
    for key, _limit in _limits(address, email):
        _count(key, settings.CHORUS_SIGNIN_WINDOW_SECONDS)


def clear_account(email: str) -> None:
    """After a success, or when the owner proved they hold the mailbox (password reset)."""
    cache.delete(_account_key(email))


def code_blocked(address: str, user_pk: int) -> bool:
    """The code step has its own counter: someone guessing passwords cannot lock the owner out
    of the second step, and only a person who knew the password reaches it."""
    key = _key("code", str(user_pk))
    limit = settings.CHORUS_SIGNIN_MAX_ATTEMPTS
    return _over(key, limit) or _over(
        _client_key(address), settings.CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS
    )


def record_code_failure(address: str, user_pk: int) -> None:
    for key in (_key("code", str(user_pk)), _client_key(address)):
        _count(key, settings.CHORUS_SIGNIN_WINDOW_SECONDS)


def clear_code(user_pk: int) -> None:
    cache.delete(_key("code", str(user_pk)))


def may_send_email(address: str, email: str) -> bool:
    """Count one e-mail to ``email`` asked from ``address``; False once either is over its
    hourly limit, so nobody can flood a mailbox or use Chorus to send mail in bulk."""
    account = _key("mail", normalised_email(email))
    client = _key("mail-ip", address)
    if _over(account, EMAILS_PER_ACCOUNT) or _over(client, EMAILS_PER_CLIENT):
        return False
    _count(account, EMAIL_WINDOW_SECONDS)
    _count(client, EMAIL_WINDOW_SECONDS)
    return True
