"""The figures a network gives for a post and for an account, and the service that reads them.

A network declares them: ``Network.post_metrics`` (names from :class:`PostMetrics`: likes,
shares, replies, views, or one of its ``extra`` counts such as quotes) and
``Network.account_metrics`` (followers from :class:`AccountInfo`, or what a connection with
``audience()`` reads itself, such as a room's or chat's members). ``collect_metrics``
reads them through the one network-call policy; the analytics app schedules it and keeps the
snapshots. A post the network no longer shows is listed as missing, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    Network,
    PostMetrics,
    RateLimitState,
)
from chorus.channels.capabilities import HasAudience, HasPostMetrics, capable
from chorus.channels.errors import Permanent
from chorus.channels.models import Channel
from chorus.channels.policy import call_network
from chorus.channels.registry import get_network


@dataclass(frozen=True)
class MetricsReading:
    account: dict[str, int] = field(default_factory=dict)
    posts: dict[str, dict[str, int]] = field(default_factory=dict)  # by the post's remote id
    missing: list[str] = field(default_factory=list)  # deleted, or hidden from the account
    # What the network's last answer said of the requests left, so a caller reading many
    # posts can leave room for publishing and the inbox.
    rate_limit: RateLimitState | None = None


def post_figures(metrics: PostMetrics, wanted: frozenset[str]) -> dict[str, int]:
    """The declared figures of one post; a figure the network left out this time is absent."""
    found: dict[str, int | None] = {
        "likes": metrics.likes,
        "shares": metrics.shares,
        "replies": metrics.replies,
        "views": metrics.views,
        **metrics.extra,
    }
    return {
        name: value
        for name in sorted(wanted)
        if name not in metrics.unavailable and (value := found.get(name)) is not None
    }


def account_figures(account: AccountInfo, wanted: frozenset[str]) -> dict[str, int]:
    found: dict[str, int | None] = {"followers": account.followers}
    return {name: value for name in sorted(wanted) if (value := found.get(name)) is not None}


def collect_metrics(
    channel: Channel, post_ids: Sequence[str] = (), *, http: httpx.Client | None = None
) -> MetricsReading:
    """The account's figures and those of the given posts, as the network declares them."""
    network = get_network(channel.network)
    if not network.can(Capability.METRICS):
        return MetricsReading()
    return call_network(channel, lambda c: _read(network, c, post_ids), http=http)


def _read(
    network: type[Network], connection: Connection, post_ids: Sequence[str]
) -> MetricsReading:
    account = _account(network, connection)
    reader = capable(connection, HasPostMetrics)
    posts: dict[str, dict[str, int]] = {}
    missing: list[str] = []
    if reader is not None and network.post_metrics:
        for remote_id in post_ids:
            try:
                posts[remote_id] = post_figures(reader.metrics(remote_id), network.post_metrics)
            except Permanent:
                missing.append(remote_id)
    return MetricsReading(
        account=account, posts=posts, missing=missing, rate_limit=connection.last_rate_limit
    )


def _account(network: type[Network], connection: Connection) -> dict[str, int]:
    if not network.account_metrics:
        return {}
    counter = capable(connection, HasAudience)
    if counter is not None:  # the figures need their own call (a room's members…)
        found = counter.audience()
        return {name: found[name] for name in sorted(network.account_metrics) if name in found}
    return account_figures(connection.whoami(), network.account_metrics)
