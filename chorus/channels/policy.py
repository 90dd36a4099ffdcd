"""One network-call policy (DESIGN.md invariant 5), used by every caller that talks to a network:
the dispatcher and thread parts, inbox polling, moderation from the inbox and by rules, checks.

1. :func:`call_network` runs one call on a channel's connection. Refused credentials are
   refreshed once and the call tried again; refused again (or not refreshable), the channel is
   marked "needs reconnect" (its owners told once) and ``AuthExpired`` is raised. Any other
   error is written on the channel's health and raised, already classified.
2. :func:`decide` turns that error into what to do next, from ONE backoff table: retry after a
   while, wait for the network's own reset, reconnect, fail, or leave it unconfirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import httpx

from chorus.channels import services
from chorus.channels.base import Connection
from chorus.channels.errors import (
    AuthExpired,
    ChannelError,
    Permanent,
    RateLimited,
    Transient,
)
from chorus.channels.models import Channel

T = TypeVar("T")

# A first quick retry (most 5xx and lost answers are a blip), then longer and longer waits.
BACKOFF_SECONDS = (2, 15, 60, 300, 900, 1800, 3600)
MAX_ATTEMPTS = 8


class Decision(StrEnum):
    RETRY = "retry"  # the network or the path failed: try again after ``wait``
    WAIT = "wait"  # the network asked to wait: try again after its own reset
    RECONNECT = "reconnect"  # refused credentials a refresh could not fix: a person reconnects
    FAIL = "fail"  # refused for good, or out of attempts
    UNCONFIRMED = "unconfirmed"  # may have taken effect: reconcile, never resend blind


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    wait: float = 0.0  # seconds, for RETRY and WAIT


def backoff_seconds(attempts: int) -> float:
    """The wait after the ``attempts``-th failed attempt (1 for the first)."""
    return float(BACKOFF_SECONDS[max(0, min(attempts - 1, len(BACKOFF_SECONDS) - 1))])


def decide(
    error: ChannelError,
    attempts: int,
    *,
    repeatable: bool = False,
    max_attempts: int = MAX_ATTEMPTS,
) -> Verdict:
    """What to do after ``error`` on the ``attempts``-th attempt. ``repeatable``: the call is
    safe to repeat even if it took effect (hiding, deleting, a request carrying an idempotency
    key), so an unconfirmed answer is retried like a transient one."""
    if isinstance(error, AuthExpired):
        return Verdict(Decision.RECONNECT)
    if isinstance(error, RateLimited):
        return Verdict(Decision.WAIT, error.retry_after)
    if isinstance(error, Permanent):
        return Verdict(Decision.FAIL)
    retry = isinstance(error, Transient) or repeatable
    if not retry:
        return Verdict(Decision.UNCONFIRMED)  # Unconfirmed or an unknown kind: never guess
    if attempts >= max_attempts:
        return Verdict(Decision.FAIL)
    return Verdict(Decision.RETRY, backoff_seconds(attempts))


def call_network(
    channel: Channel,
    act: Callable[[Connection], T],
    *,
    connect: Callable[[], Connection] | None = None,
    http: httpx.Client | None = None,
) -> T:
    """``act`` on the channel's connection, refreshing refused credentials once (see above).

    ``connect`` gives the connection when the caller keeps its own (the dispatcher shares one per
    channel); it is asked again after a refresh. Tokens the network rotated are kept either way.
    """
    for round_ in (1, 2):
        try:
            return _once(channel, act, connect, http)
        except AuthExpired as error:
            if round_ == 1 and services.recover_from_auth_error(channel, error):
                continue  # refreshed: once more with the new credentials
            if round_ == 2:
                services.mark_needs_reconnect(channel, error.message)
            raise
        except ChannelError as error:
            services.record_error(channel, error)
            raise
    raise AssertionError("unreachable")


def _once(
    channel: Channel,
    act: Callable[[Connection], T],
    connect: Callable[[], Connection] | None,
    http: httpx.Client | None,
) -> T:
    if connect is None:
        with services.connected(channel, http=http) as connection:
            return act(connection)
    connection = connect()
    try:
        return act(connection)
    finally:
        services.keep_rotated_credentials(channel, connection)
